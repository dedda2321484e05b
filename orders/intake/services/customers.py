from datetime import time
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from agency.audit import Actor, audit_record
from agency.models import Agency
from agency.phones import normalise_phone
from orders.intake.models import MESSAGE_PREFERENCES
from orders.models import Customer, CustomerAddress, DoNotSend
from staff.models import StaffMember


def customer_find_or_create(
    *, agency: Agency, actor: Actor, name: str, phone: str, preferred_language: str = ""
) -> Customer:
    """The agency's customer with this phone, or a new one (DESIGN.md: one phone, one customer).

    Safe when two bookings for one new customer arrive at once: the second insert
    waits on the unique phone until the first commits, then finds that customer.
    """
    phone = normalise_phone(phone)
    existing = Customer.objects.filter(agency=agency, phone=phone).first()
    if existing is not None:
        return existing
    customer = Customer(
        agency=agency, name=name, phone=phone, preferred_language=preferred_language
    )
    # The unique phone is the database's to check: a read here could not see a twin
    # that is not committed yet, and would race like the lookup above.
    customer.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            customer.save()
    except IntegrityError:
        twin = Customer.objects.filter(agency=agency, phone=phone).first()
        if twin is None:
            raise
        return twin
    audit_record(agency=agency, actor=actor, action="customer.create", target=customer)
    return customer


def address_find_or_create(*, customer: Customer, district: str, detail: str) -> CustomerAddress:
    address = customer.addresses.filter(district=district.strip(), detail=detail.strip()).first()
    if address is None:
        address = CustomerAddress(
            agency_id=customer.agency_id,
            customer=customer,
            district=district.strip(),
            detail=detail.strip(),
        )
        address.full_clean()
        address.save()
    return address


def _audited(name: str, value: Any) -> Any:
    # Phones and email are recorded masked: the audit log is read more widely than the customer.
    if "phone" in name or name == "email":
        return "***"
    return value.isoformat(timespec="minutes") if isinstance(value, time) else value


@transaction.atomic
def customer_update(*, customer: Customer, actor: Actor, **fields: Any) -> Customer:
    """Change a customer's details and message preferences; the model refuses preferences
    that cannot be kept (Customer.clean)."""
    allowed = {
        "name",
        "phone",
        "phone_alt",
        "preferred_language",
        "notes",
        *MESSAGE_PREFERENCES,
    }
    if set(fields) - allowed:
        raise TypeError(f"customer_update cannot change {sorted(set(fields) - allowed)}")
    current = Customer.objects.select_for_update().get(pk=customer.pk)
    changes = {}
    for name, value in fields.items():
        if name in {"phone", "phone_alt"} and value:
            value = normalise_phone(value)
        if getattr(current, name) != value:
            changes[name] = [_audited(name, getattr(current, name)), _audited(name, value)]
            setattr(current, name, value)
    current.full_clean()
    if changes:
        current.save(update_fields=list(changes))
        audit_record(
            agency=current.agency,
            actor=actor,
            action="customer.update",
            target=current,
            changes=changes,
        )
    return current


#: What customers change themselves (their portal): how they hear from the agency. Their
#: name and phone stay the office's to change (the phone is how they sign in).
OWN_PREFERENCES = frozenset({"preferred_language", *MESSAGE_PREFERENCES})


def customer_preferences_update(*, customer: Customer, actor: Actor, **fields: Any) -> Customer:
    """The customer updates their contact preferences: channel, email, quiet hours, no
    promotions, language. Refused like the office's edit when they cannot be kept
    (Customer.clean); audited as the customer.

    Portal entry: `customer_preferences_update(customer=…, actor=Actor.customer(customer.pk,
    ip_address=…), message_channel=…, …)`.
    """
    if actor.customer_id != customer.pk:
        raise PermissionDenied(_("Only the customer changes their own preferences here."))
    if set(fields) - OWN_PREFERENCES:
        raise TypeError(f"a customer cannot change {sorted(set(fields) - OWN_PREFERENCES)}")
    return customer_update(customer=customer, actor=actor, **fields)


def customer_reveal_contact(
    *, customer: Customer, actor: Actor, field: str, address: CustomerAddress | None = None
) -> str:
    """Show one full phone number or street address, and record who saw it (DESIGN.md)."""
    if field in {"phone", "phone_alt"}:
        value = getattr(customer, field)
    elif field == "address" and address is not None and address.customer_id == customer.pk:
        value = f"{address.district} {address.detail}"
    else:
        raise ValidationError(_("Nothing to reveal."))
    audit_record(
        agency=customer.agency,
        actor=actor,
        action=f"customer.reveal_{field}",
        target=customer,
        changes={"address": address.district} if address else {},
    )
    return value


@transaction.atomic
def customer_flag_special_attention(
    *, customer: Customer, actor: Actor, reason: str, link: str = ""
) -> Customer:
    """Flag the customer for special attention on later orders (e.g. after a complaint).

    DESIGN.md, "Complaints": the customer is flagged; a higher app hands the fact
    down here with a link to where it is told in full.
    """
    current = Customer.objects.select_for_update().get(pk=customer.pk, agency_id=customer.agency_id)
    current.special_attention = True
    current.special_attention_reason = reason.strip()[:255]
    current.special_attention_link = link[:300]
    current.save(
        update_fields=["special_attention", "special_attention_reason", "special_attention_link"]
    )
    audit_record(
        agency=current.agency,
        actor=actor,
        action="customer.special_attention",
        target=current,
        changes={"reason": current.special_attention_reason},
    )
    return current


@transaction.atomic
def customer_do_not_send(
    *, customer: Customer, staff: StaffMember, actor: Actor, reason: str
) -> DoNotSend:
    """ "Do not send this staff member to this customer" — matching leaves the pair out."""
    entry, created = DoNotSend.objects.get_or_create(
        agency_id=customer.agency_id,
        customer=customer,
        staff=staff,
        defaults={"reason": reason.strip()[:255]},
    )
    if created:
        audit_record(
            agency=customer.agency,
            actor=actor,
            action="customer.do_not_send",
            target=customer,
            changes={"staff": staff.pk, "reason": entry.reason},
        )
    return entry
