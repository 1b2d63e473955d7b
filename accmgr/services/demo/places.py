"""Countries of the demo data: cities, street addresses, phone numbers and tax ids.

Formats follow each country's own conventions (Portuguese ``1100-053``, Polish ``00-514``,
Lithuanian ``LT-01103``, Hungarian "1051 Budapest, Váci utca 12.", Russian addresses from
the postcode down). Tax ids carry valid check digits. UK and US phone numbers come from the
ranges reserved for fiction (020 7946 0xxx, 555-01xx) so that no real line is dialled.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from random import Random


@dataclass(frozen=True)
class City:
    name: str
    post: tuple[int, int] | tuple[str, ...]  # numeric range, or the postcode districts
    area: str  # landline area code
    region: str = ""  # tax-office region (RU, HU) or state (US)


@dataclass(frozen=True)
class Country:
    code: str
    language: str
    currency: str
    dial: str
    tld: str
    cities: tuple[City, ...]
    streets: tuple[str, ...]


COUNTRIES: dict[str, Country] = {
    c.code: c
    for c in (
        Country("PT", "pt", "EUR", "+351", "pt", (
            City("Lisboa", (1000, 1990), "21"), City("Porto", (4000, 4369), "22"),
            City("Braga", (4700, 4719), "253"), City("Coimbra", (3000, 3049), "239"),
            City("Aveiro", (3800, 3814), "234"), City("Leiria", (2400, 2419), "244"),
            City("Setúbal", (2900, 2914), "265"), City("Faro", (8000, 8009), "289"),
            City("Guimarães", (4800, 4839), "253"), City("Évora", (7000, 7005), "266"),
            City("Matosinhos", (4450, 4464), "22"), City("Maia", (4470, 4479), "22"),
        ), (
            "Rua Augusta", "Avenida da Liberdade", "Rua de Santa Catarina", "Rua do Comércio",
            "Avenida da República", "Rua Dom João IV", "Rua de Cedofeita", "Rua da Prata",
            "Avenida Fontes Pereira de Melo", "Rua Álvaro Castelões", "Rua da Indústria",
            "Estrada Nacional 13", "Zona Industrial da Maia, Rua C", "Avenida dos Aliados",
        )),
        Country("LT", "lt", "EUR", "+370", "lt", (
            City("Vilnius", (1100, 14999), "5"), City("Kaunas", (44000, 52999), "37"),
            City("Klaipėda", (91000, 96999), "46"), City("Šiauliai", (76000, 78999), "41"),
            City("Panevėžys", (35000, 37999), "45"), City("Alytus", (62000, 63999), "315"),
            City("Marijampolė", (68000, 68999), "343"), City("Utena", (28000, 28999), "389"),
        ), (
            "Gedimino pr.", "Konstitucijos pr.", "Laisvės al.", "Savanorių pr.", "Ukmergės g.",
            "Žalgirio g.", "Vilniaus g.", "Taikos pr.", "Tilžės g.", "Aušros g.",
            "Kęstučio g.", "Vytauto g.", "Pramonės g.", "Liepų g.", "Šilutės pl.",
        )),
        Country("RU", "ru", "RUB", "+7", "ru", (
            City("Москва", (101000, 129999), "495", "77"),
            City("Москва", (101000, 129999), "499", "77"),
            City("Санкт-Петербург", (190000, 199999), "812", "78"),
            City("Новосибирск", (630000, 630133), "383", "54"),
            City("Екатеринбург", (620000, 620149), "343", "66"),
            City("Казань", (420000, 420141), "843", "16"),
            City("Нижний Новгород", (603000, 603163), "831", "52"),
            City("Самара", (443000, 443125), "846", "63"),
            City("Краснодар", (350000, 350089), "861", "23"),
        ), (
            "ул. Ленина", "ул. Мира", "ул. Советская", "ул. Гагарина", "ул. Садовая",
            "пр-т Мира", "ул. Промышленная", "ул. Заводская", "Набережная ул.",
            "ул. Пушкина", "ул. Профсоюзная", "ш. Энтузиастов", "ул. Строителей",
        )),
        Country("PL", "pl", "PLN", "+48", "pl", (
            City("Warszawa", (1, 4999), "22"), City("Kraków", (30001, 31999), "12"),
            City("Łódź", (90001, 94999), "42"), City("Wrocław", (50001, 54999), "71"),
            City("Poznań", (60001, 61999), "61"), City("Gdańsk", (80001, 80999), "58"),
            City("Szczecin", (70001, 71999), "91"), City("Katowice", (40001, 40999), "32"),
            City("Lublin", (20001, 20999), "81"), City("Bydgoszcz", (85001, 85999), "52"),
            City("Białystok", (15001, 15999), "85"), City("Rzeszów", (35001, 35999), "17"),
        ), (
            "ul. Marszałkowska", "ul. Piotrkowska", "ul. Długa", "al. Jerozolimskie",
            "ul. Świętokrzyska", "ul. Grunwaldzka", "ul. Mickiewicza", "ul. Kościuszki",
            "ul. Przemysłowa", "ul. Żelazna", "ul. Wrocławska", "ul. Polna", "ul. Składowa",
            "ul. Fabryczna",
        )),
        Country("HU", "hu", "HUF", "+36", "hu", (
            City("Budapest", (1011, 1239), "1", "41"), City("Budapest", (1011, 1239), "1", "42"),
            City("Debrecen", (4000, 4034), "52", "09"), City("Szeged", (6700, 6728), "62", "06"),
            City("Miskolc", (3500, 3535), "46", "05"), City("Pécs", (7600, 7636), "72", "02"),
            City("Győr", (9000, 9030), "96", "08"), City("Kecskemét", (6000, 6008), "76", "03"),
            City("Székesfehérvár", (8000, 8019), "22", "07"),
            City("Nyíregyháza", (4400, 4405), "42", "15"),
        ), (
            "Váci utca", "Andrássy út", "Kossuth Lajos utca", "Petőfi Sándor utca",
            "Rákóczi út", "Bajcsy-Zsilinszky út", "Szent István körút", "Dózsa György út",
            "Ipari park utca", "Fő utca", "Széchenyi tér", "Vörösmarty utca", "Gyár utca",
        )),
        Country("GB", "en", "GBP", "+44", "co.uk", (
            City("London", ("EC2A", "SE1", "E14", "W1T", "N1", "EC1V"), "20"),
            City("Manchester", ("M1", "M2", "M4", "M15"), "161"),
            City("Birmingham", ("B1", "B3", "B5", "B6"), "121"),
            City("Leeds", ("LS1", "LS2", "LS11"), "113"),
            City("Glasgow", ("G1", "G2", "G3"), "141"),
            City("Bristol", ("BS1", "BS2", "BS16"), "117"),
            City("Sheffield", ("S1", "S3", "S9"), "114"),
            City("Edinburgh", ("EH1", "EH3", "EH6"), "131"),
            City("Liverpool", ("L1", "L3", "L24"), "151"),
            City("Nottingham", ("NG1", "NG7"), "115"),
        ), (
            "High Street", "King Street", "Station Road", "Church Street", "Victoria Road",
            "Mill Lane", "Park Road", "London Road", "Commercial Street", "Queen Street",
            "Trafford Park Road", "Riverside Way", "Enterprise Way",
        )),
        Country("IE", "en", "EUR", "+353", "ie", (
            City("Dublin", ("D01", "D02", "D04", "D08", "D12", "D15", "D24"), "1"),
            City("Cork", ("T12", "T23", "T45"), "21"),
            City("Galway", ("H91",), "91"),
            City("Limerick", ("V94",), "61"),
            City("Waterford", ("X91",), "51"),
        ), (
            "Grafton Street", "Patrick Street", "O'Connell Street", "Shop Street",
            "Main Street", "Harbour Road", "Business Park Road", "Dock Road", "Quay Street",
            "Ballycoolin Road", "Parnell Street",
        )),
        Country("US", "en", "USD", "+1", "com", (
            City("New York", (10001, 10282), "212", "NY"),
            City("Chicago", (60601, 60661), "312", "IL"),
            City("Houston", (77001, 77099), "713", "TX"),
            City("Boston", (2108, 2137), "617", "MA"),
            City("Atlanta", (30301, 30350), "404", "GA"),
            City("Seattle", (98101, 98199), "206", "WA"),
            City("Denver", (80201, 80239), "303", "CO"),
            City("Columbus", (43201, 43235), "614", "OH"),
            City("Pittsburgh", (15201, 15244), "412", "PA"),
        ), (
            "Main Street", "Market Street", "Commerce Drive", "Industrial Parkway",
            "Lake Shore Drive", "Elm Street", "Washington Avenue", "Park Avenue",
            "Technology Drive", "Harbor Boulevard", "Oak Street",
        )),
    )
}  # fmt: skip


def _digits(rng: Random, n: int) -> str:
    return "".join(str(rng.randrange(10)) for _ in range(n))


def _letters(rng: Random, alphabet: str, n: int) -> str:
    return "".join(rng.choice(alphabet) for _ in range(n))


def _postcode(rng: Random, country: str, city: City) -> str:
    if isinstance(city.post[0], str):
        district = str(rng.choice(city.post))
        if country == "IE":
            return f"{district} {_letters(rng, '0123456789ACDEFHKNPRTVWXY', 4)}"
        return f"{district} {rng.randrange(1, 10)}{_letters(rng, 'ABDEFGHJLNPQRSTUWXYZ', 2)}"
    low, high = city.post
    number = rng.randint(int(low), int(high))
    if country == "PT":
        return f"{number:04d}-{rng.randrange(1000):03d}"
    if country == "LT":
        return f"LT-{number:05d}"
    if country == "PL":
        return f"{number // 1000:02d}-{number % 1000:03d}"
    if country == "US":
        return f"{number:05d}"
    return str(number)


def address(rng: Random, country: str, city: City) -> str:
    """A street address written the way the country writes it."""
    street = rng.choice(COUNTRIES[country].streets)
    number = rng.randint(1, 220)
    post = _postcode(rng, country, city)
    if country == "PT":
        return f"{street}, {number}, {post} {city.name}"
    if country == "RU":
        office = f", офис {rng.randint(101, 940)}" if rng.random() < 0.6 else ""
        return f"{post}, г. {city.name}, {street}, д. {number}{office}"
    if country == "HU":
        return f"{post} {city.name}, {street} {number}."
    if country in ("LT", "PL"):
        return f"{street} {number}, {post} {city.name}"
    if country == "US":
        suite = f", Suite {rng.randint(1, 30) * 100}" if rng.random() < 0.5 else ""
        return f"{number * 10} {street}{suite}, {city.name}, {city.region} {post}"
    if country == "IE":
        return f"{number} {street}, {city.name}, {post}"
    return f"{number} {street}, {city.name} {post}"


def landline(rng: Random, country: str, city: City) -> str:
    """An office number of ``city`` in international form."""
    dial, area = COUNTRIES[country].dial, city.area
    if country == "GB":
        inner = f"7946 0{_digits(rng, 3)}" if area == "20" else f"496 0{_digits(rng, 3)}"
        return f"{dial} {area} {inner}"
    if country == "US":
        return f"{dial} {area}-555-01{_digits(rng, 2)}"
    if country == "RU":
        return f"{dial} {area} {_digits(rng, 3)}-{_digits(rng, 2)}-{_digits(rng, 2)}"
    if country == "PT":
        rest = _digits(rng, 9 - len(area))
        return (
            f"{dial} {area} {rest[:-4]} {rest[-4:]}"
            if len(area) == 2
            else (f"{dial} {area} {rest[:3]} {rest[3:]}")
        )
    if country == "LT":
        rest = _digits(rng, 8 - len(area))
        if len(rest) == 5:
            return f"{dial} {area} {rest}"
        return f"{dial} {area} {rest[:3]} {rest[3:]}"
    if country == "PL":
        rest = _digits(rng, 7)
        return f"{dial} {area} {rest[:3]} {rest[3:5]} {rest[5:]}"
    if country == "HU":
        rest = _digits(rng, 7 if area == "1" else 6)
        return f"{dial} {area} {rest[:3]} {rest[3:]}"
    # IE: Dublin numbers have seven digits after the area code, the others six or seven.
    rest = _digits(rng, 7 if area in ("1", "21") else 6)
    return f"{dial} {area} {rest[:3]} {rest[3:]}"


# Polish mobile numbers begin with these (8xx outside 88x are free-phone and premium lines).
_PL_MOBILE = ("50", "51", "53", "57", "60", "66", "69", "72", "73", "78", "79", "88")


def mobile(rng: Random, country: str) -> str:
    dial = COUNTRIES[country].dial
    if country == "GB":
        return f"{dial} 7700 900{_digits(rng, 3)}"
    if country == "US":
        return f"{dial} {rng.choice(('917', '646', '773', '832', '415'))}-555-01{_digits(rng, 2)}"
    if country == "PT":
        return f"{dial} 9{rng.choice('1236')}{_digits(rng, 1)} {_digits(rng, 3)} {_digits(rng, 3)}"
    if country == "LT":
        return f"{dial} 6{_digits(rng, 2)} {_digits(rng, 5)}"
    if country == "RU":
        prefix = rng.choice(("90", "91", "92", "95", "96", "98")) + _digits(rng, 1)
        return f"{dial} {prefix} {_digits(rng, 3)}-{_digits(rng, 2)}-{_digits(rng, 2)}"
    if country == "PL":
        prefix = rng.choice(_PL_MOBILE) + _digits(rng, 1)
        return f"{dial} {prefix} {_digits(rng, 3)} {_digits(rng, 3)}"
    if country == "HU":
        return f"{dial} {rng.choice(('20', '30', '70'))} {_digits(rng, 3)} {_digits(rng, 4)}"
    return f"{dial} 8{rng.choice('35679')} {_digits(rng, 3)} {_digits(rng, 4)}"


def _weighted(digits: str, weights: Sequence[int]) -> int:
    return sum(int(d) * w for d, w in zip(digits, weights, strict=False))


def tax_id(rng: Random, country: str, city: City) -> str:
    """A company tax or registration number in the national format, with valid check digits."""
    if country == "PT":  # NIPC: legal persons start with 5; mod-11 check digit
        body = "5" + _digits(rng, 7)
        rest = _weighted(body, range(9, 1, -1)) % 11
        return body + str(0 if rest < 2 else 11 - rest)
    if country == "LT":  # įmonės kodas: 9 digits, two-pass mod-11 check digit
        body = "30" + _digits(rng, 6)
        rest = _weighted(body, (1, 2, 3, 4, 5, 6, 7, 8)) % 11
        if rest == 10:
            rest = _weighted(body, (3, 4, 5, 6, 7, 8, 9, 1)) % 11
        return body + str(0 if rest == 10 else rest)
    if country == "RU":  # ИНН of an organisation: region, tax office, number, check digit
        body = city.region + f"{rng.randint(1, 51):02d}" + _digits(rng, 5)
        return body + str(_weighted(body, (2, 4, 10, 3, 5, 9, 4, 6, 8)) % 11 % 10)
    if country == "PL":  # NIP: 123-456-32-18, mod-11 check digit (10 is never issued)
        while True:
            body = str(rng.randint(101, 999)) + _digits(rng, 6)
            check = _weighted(body, (6, 5, 7, 2, 3, 4, 5, 6, 7)) % 11
            if check < 10:
                nip = body + str(check)
                return f"{nip[:3]}-{nip[3:6]}-{nip[6:8]}-{nip[8:]}"
    if country == "HU":  # adószám: törzsszám-VAT code-county code
        body = str(rng.randint(1, 3)) + _digits(rng, 6)
        check = (10 - _weighted(body, (9, 7, 3, 1, 9, 7, 3)) % 10) % 10
        return f"{body}{check}-{rng.choice('22223')}-{city.region}"
    if country == "GB":  # VAT registration number, modulus-97 check
        body = str(rng.randint(1, 9)) + _digits(rng, 6)
        check = -_weighted(body, (8, 7, 6, 5, 4, 3, 2)) % 97
        return f"GB {body[:3]} {body[3:]} {check:02d}"
    if country == "IE":  # VAT number: seven digits and a mod-23 check letter
        body = str(rng.randint(1, 9)) + _digits(rng, 6)
        return "IE" + body + "WABCDEFGHIJKLMNOPQRSTUV"[_weighted(body, range(8, 1, -1)) % 23]
    prefix = rng.choice(("20", "26", "27", "45", "46", "47", "81", "82", "83", "84", "88"))
    return f"{prefix}-{_digits(rng, 7)}"  # US EIN
