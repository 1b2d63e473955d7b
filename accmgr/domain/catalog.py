"""The product catalog."""

from __future__ import annotations

from pydantic import Field

from accmgr.domain.base import StoredRecord
from accmgr.domain.common import Amount, CurrencyCode, Percent, ShortText


class Product(StoredRecord):
    code: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._/-]{0,39}$")
    name: ShortText
    description: str = ""
    unit: str = Field(default="pc", min_length=1, max_length=20)
    unit_price: Amount
    currency: CurrencyCode
    tax_rate: Percent
    active: bool = True
