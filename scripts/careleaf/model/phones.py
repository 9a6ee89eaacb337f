"""The hospital's phone numbers as a phone dials them: tel: URIs (RFC 3966), read by libphonenumber.

Pages show each number as the hospital wrote it (1-877-555-CARE); the link dials what it means
(tel:+1-877-555-2273). A short number the region dials as it is (911, 999, 112, 000) stays short.
"""

from __future__ import annotations

import phonenumbers
from phonenumbers import PhoneNumberFormat, shortnumberinfo

# hospital settings (the careleaf plugin's) holding a number a reader may call, in the order a page gives them.
PHONE_KEYS = ("emergency_number", "nurse_line")


class NotDiallable(ValueError):
    """Not a number a phone in the region can dial."""


def is_region(code: str) -> bool:
    """A region libphonenumber has dialling rules for (ISO 3166-1 alpha-2: US, GB, AU…)."""
    return code in phonenumbers.SUPPORTED_REGIONS


def tel_uri(number: str, region: str) -> str:
    """`number`, as written for `region`, as the tel: URI a phone dials: a full number with its country
    code and extension (tel:+1-877-555-0199;ext=2), or a short number of the region as it is (tel:911)."""
    try:
        parsed = phonenumbers.parse(number, region)
    except phonenumbers.NumberParseException as error:
        raise NotDiallable(number) from error
    if phonenumbers.is_valid_number(parsed):
        return phonenumbers.format_number(parsed, PhoneNumberFormat.RFC3966)
    # Short numbers carry no country code: they are dialled only inside their region.
    if not parsed.extension and shortnumberinfo.is_valid_short_number_for_region(parsed, region):
        return f"tel:{phonenumbers.national_significant_number(parsed)}"
    raise NotDiallable(number)
