"""/api/schema/, generated once per process for each language and API version.

The OpenAPI document describes the code, not data or the caller: the view serves it
publicly (`SERVE_PUBLIC`, drf-spectacular's default) to any logged-in user, and no
viewset picks its serializer by role or agency. So it can only change with a deployment,
while generating it walks every endpoint (0.7 s on a quiet machine, several seconds
under load). The first request of a process in a language builds it; later ones reuse
that dict, and only render it (YAML or JSON, as the client asks).
"""

import threading
from typing import Any, ClassVar

from django.urls import get_urlconf
from django.utils import translation
from drf_spectacular.views import SpectacularAPIView
from rest_framework.request import Request
from rest_framework.response import Response


class CachedSchemaView(SpectacularAPIView):
    """drf-spectacular's schema view, remembering each generated document in the process."""

    #: (urlconf, language, version) → the generated schema, as drf-spectacular returns it.
    schemas: ClassVar[dict[tuple[str | None, str | None, str | None], dict[str, Any]]] = {}
    _building: ClassVar[threading.Lock] = threading.Lock()

    def _get_schema_response(self, request: Request) -> Response:
        # The same steps as SpectacularAPIView._get_schema_response, with the generator
        # asked only when this process has no document for the key yet. The active
        # language is the request's, or the one `?lang=` selected around this call.
        version = self.api_version or request.version or self._get_version_parameter(request)
        key = (str(self.urlconf or get_urlconf() or ""), translation.get_language(), version)
        schema = self.schemas.get(key)
        if schema is None:
            # One thread builds it; the others wait for it rather than build it too.
            with self._building:
                schema = self.schemas.get(key)
                if schema is None:
                    generator = self.generator_class(
                        urlconf=self.urlconf, api_version=version, patterns=self.patterns
                    )
                    schema = generator.get_schema(request=request, public=self.serve_public)
                    self.schemas[key] = schema
        filename = self._get_filename(request, version)
        disposition = f'inline; filename="{filename}"'
        return Response(data=schema, headers={"Content-Disposition": disposition})
