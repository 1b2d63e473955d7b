"""Small files in the ECB's two published layouts (figures as the ECB writes them)."""

from __future__ import annotations

# eurofxref.csv: one day, "DD Month YYYY", a space after each comma and a trailing comma.
DAILY = (
    "Date, USD, JPY, BGN, CZK, DKK, GBP, HUF, PLN, RON, SEK, CHF, ISK, NOK, TRY, AUD, BRL, "
    "CAD, CNY, HKD, IDR, ILS, INR, KRW, MXN, MYR, NZD, PHP, SGD, THB, ZAR, \n"
    "04 December 2026, 1.0543, 158.12, 1.9558, 25.221, 7.4593, 0.8512, 385.10, 4.2675, "
    "4.9765, 11.5215, 0.9312, 146.30, 11.7125, 36.512, 1.6210, 6.3104, 1.4789, 7.6412, "
    "8.2034, 16843.21, 3.8520, 89.1245, 1498.34, 21.4570, 4.6802, 1.7945, 61.234, 1.4156, "
    "36.215, 19.3412, \n"
)

# eurofxref-hist.csv: newest first, ISO dates, N/A for a currency without a rate that day,
# withdrawn currencies (CYP) kept as columns, a trailing comma; Christmas and the weekend
# have no row.
HISTORICAL = (
    "Date,USD,JPY,CYP,GBP,HUF,PLN,RUB,\n"
    "2026-12-29,1.0601,159.02,N/A,0.8555,387.40,4.2810,N/A,\n"
    "2026-12-24,1.0587,158.77,N/A,0.8540,386.95,4.2790,N/A,\n"
    "2026-12-23,1.0579,158.60,N/A,0.8538,386.20,4.2775,N/A,\n"
    "2026-12-04,1.0543,158.12,N/A,0.8512,385.10,4.2675,N/A,\n"
    "2026-12-03,1.0531,157.95,N/A,0.8507,384.80,4.2600,N/A,\n"
)
