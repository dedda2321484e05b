"""A complaint's attachments: photos and documents, at intake or later."""

from pathlib import PurePath

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from agency.audit import Actor
from complaints.models import Attachment, Complaint, EventKind
from complaints.services.shared import complaint_lock, record_audit, record_event


@transaction.atomic
def complaint_attach(*, complaint: Complaint, actor: Actor, file: UploadedFile) -> Attachment:
    """A photo or document added to the complaint, noted on the timeline."""
    complaint = complaint_lock(complaint, actor)
    attachment = attach(complaint, actor=actor, file=file)
    name = (attachment.file.name or "").rsplit("/", 1)[-1]
    record_event(
        complaint, EventKind.NOTE, actor=actor, text=_("Attached %(name)s.") % {"name": name}
    )
    record_audit(complaint, actor, "complaint.attach", {"file": name})
    return attachment


def attach(complaint: Complaint, *, actor: Actor, file: UploadedFile) -> Attachment:
    attachment = Attachment(
        agency_id=complaint.agency_id,
        complaint=complaint,
        file=file,
        original_name=PurePath(file.name or "").name[:255],
        uploaded_by=actor.user,
    )
    attachment.full_clean()
    attachment.save()
    return attachment
