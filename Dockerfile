# Hearth production image. One image runs every role (see docker-compose.yml):
# gunicorn (default CMD), `python manage.py migrate`, and the Celery workers (one per queue) and beat.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    UV_PYTHON=/usr/local/bin/python3.11 \
    UV_PYTHON_DOWNLOADS=never \
    UV_PROJECT_ENVIRONMENT=/app/.venv \
    UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    VIRTUAL_ENV=/app/.venv \
    PATH=/app/.venv/bin:$PATH \
    WEB_CONCURRENCY=3

# gettext compiles translations; Pango, HarfBuzz and the Noto CJK fonts let
# WeasyPrint render Chinese PDFs (scripts/lib.sh, RUNTIME_APT_PACKAGES).
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        gettext \
        libpango-1.0-0 \
        libpangoft2-1.0-0 \
        libharfbuzz-subset0 \
        fonts-noto-cjk \
    && rm -rf /var/lib/apt/lists/*

# The uv that wrote uv.lock; bump both together.
RUN pip install uv==0.13.9

# A fixed numeric id, so orchestrators can check runAsNonRoot. The home
# directory is writable (fontconfig cache, gunicorn's control socket).
RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --create-home --home-dir /home/app \
        --shell /usr/sbin/nologin app

WORKDIR /app

# Dependencies first, so code changes do not reinstall them.
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-dev

# .dockerignore keeps the host's .venv out, so this does not overwrite /app/.venv.
COPY . .

# collectstatic with DEBUG=false builds WhiteNoise's hashed, compressed
# manifest; the settings then insist on SECRET_KEY and ALLOWED_HOSTS, so give
# throwaway values for this one command only (they are not kept in the image).
RUN mkdir -p media \
    && python manage.py compilemessages --ignore=.venv \
    && DEBUG=false SECRET_KEY="$(python -c 'import secrets; print(secrets.token_urlsafe(50))')" \
        ALLOWED_HOSTS=localhost \
        python manage.py collectstatic --noinput \
    && chown app:app media

# Code and static files stay root-owned and read-only to the app user; only
# /app/media (a volume in docker-compose.yml) is writable.
USER 10001:10001

EXPOSE 8000

# Workers: WEB_CONCURRENCY (3 above; override with -e WEB_CONCURRENCY=n).
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--access-logfile", "-"]
