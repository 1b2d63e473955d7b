"""Client companies: segments, trade names in the country's language, legal forms, domains.

Trade names are built the way businesses in each country name themselves: a region or
river and a trade ("Transportes do Douro", "Nemuno logistika", "Mleczarnia Mazowsze",
"Tisza Tejipari", "Pennine Engineering"), a family name ("Ribeiro & Filhos", "Nowak i Syn"),
a coined word ("Hungaroplast", "ВолгаТранс"). Legal names add the legal form in the
country's style: 'UAB „Nemuno logistika“', 'ООО «ВолгаТранс»', "Transportes do Douro, Lda.".
"""

from __future__ import annotations

from dataclasses import dataclass
from random import Random

from accmgr.services.demo.text import ascii_fold, slug

# (key, segment as shown, industries within it)
SEGMENTS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("manufacturing", "Manufacturing",
     ("Metalworking", "Plastics moulding", "Furniture", "Electronics assembly", "Machinery")),
    ("food", "Food & beverage", ("Dairy", "Bakery", "Brewing", "Meat processing", "Confectionery")),
    ("logistics", "Logistics",
     ("Freight forwarding", "Warehousing", "Courier services", "Cold chain")),
    ("retail", "Retail & wholesale",
     ("Grocery retail", "DIY retail", "Building materials wholesale", "Office supplies wholesale")),
    ("construction", "Construction",
     ("Civil engineering", "Residential construction", "HVAC installation")),
    ("automotive", "Automotive", ("Automotive parts", "Fleet services", "Car dealerships")),
    ("chemicals", "Chemicals & pharma", ("Pharmaceuticals", "Cosmetics", "Paints & coatings")),
    ("energy", "Energy & utilities", ("Renewable energy", "Water utility", "Fuel distribution")),
    ("it", "IT & telecom", ("Software", "Data centres", "Telecom services")),
    ("agriculture", "Agriculture", ("Crop farming", "Agricultural machinery", "Feed & fertiliser")),
    ("healthcare", "Healthcare", ("Private clinics", "Medical devices", "Laboratories")),
    ("hospitality", "Hospitality", ("Hotels", "Catering", "Restaurants")),
)  # fmt: skip

# Trade words per segment, in the order of SEGMENTS.
_TRADES: dict[str, tuple[tuple[str, ...], ...]] = {
    "PT": (
        ("Metalúrgica", "Metalomecânica", "Indústrias Plásticas", "Mobiliário"),
        ("Lacticínios", "Conservas", "Panificação", "Carnes"),
        ("Transportes", "Logística", "Armazéns"),
        ("Distribuição", "Comércio", "Armazenistas"),
        ("Construções", "Materiais de Construção", "Obras Públicas"),
        ("Auto Peças", "Frotas"),
        ("Química", "Tintas", "Farmacêutica"),
        ("Energias Renováveis", "Energia Solar"),
        ("Sistemas de Informação", "Tecnologias"),
        ("Agro-Pecuária", "Rações", "Agrícola"),
        ("Clínicas", "Dispositivos Médicos", "Análises Clínicas"),
        ("Hotéis", "Restauração", "Turismo"),
    ),
    "LT": (
        ("metalas", "baldai", "plastikas", "gamyba"),
        ("pienas", "duona", "mėsa", "maisto produktai"),
        ("logistika", "transportas", "sandėliai"),
        ("prekyba", "didmena"),
        ("statyba", "statybinės medžiagos"),
        ("autodalys", "autoservisas"),
        ("chemija", "dažai", "farmacija"),
        ("energija", "saulės energija"),
        ("technologijos", "IT sprendimai", "duomenys"),
        ("agro", "ūkis", "pašarai"),
        ("klinika", "medicinos technika", "laboratorija"),
        ("viešbučiai", "maitinimas", "turizmas"),
    ),
    "RU": (
        ("Пром", "Металл", "Деталь", "Пласт"),
        ("Продукт", "Молоко", "Хлеб", "Мясо"),
        ("Транс", "Логистик", "Карго"),
        ("Торг", "Снаб", "Опт"),
        ("Строй", "СтройМатериалы", "Бетон"),
        ("Авто", "АвтоДеталь"),
        ("Хим", "Фарм", "Краска"),
        ("Энерго", "Солар"),
        ("Софт", "Телеком", "Дата"),
        ("Агро", "Зерно", "Корм"),
        ("Мед", "МедТех", "Лаб"),
        ("Отель", "Тур", "Фуд"),
    ),
    "PL": (
        ("Zakłady Metalowe", "Fabryka Mebli", "Odlewnia", "Tworzywa"),
        ("Zakłady Mięsne", "Mleczarnia", "Piekarnia", "Browar"),
        ("Transport", "Spedycja", "Logistyka"),
        ("Hurtownia", "Dystrybucja", "Handel"),
        ("Przedsiębiorstwo Budowlane", "Materiały Budowlane"),
        ("Części Samochodowe", "Auto-Serwis"),
        ("Zakłady Chemiczne", "Farby i Lakiery", "Farmacja"),
        ("Energetyka", "Fotowoltaika"),
        ("Systemy Informatyczne", "Oprogramowanie"),
        ("Agro", "Pasze", "Nasiona"),
        ("Centrum Medyczne", "Sprzęt Medyczny", "Laboratorium"),
        ("Hotele", "Catering", "Gastronomia"),
    ),
    "HU": (
        ("Gépgyártó", "Fémfeldolgozó", "Bútorgyár", "Műanyag"),
        ("Tejipari", "Sütőipari", "Húsipari", "Pincészet"),
        ("Logisztika", "Fuvarozó", "Szállítmányozó"),
        ("Kereskedelmi", "Nagykereskedés"),
        ("Építőipari", "Építőanyag"),
        ("Autóalkatrész", "Flottakezelő"),
        ("Vegyipari", "Festékgyár", "Gyógyszer"),
        ("Energia", "Napenergia"),
        ("Informatika", "Szoftver", "Adatközpont"),
        ("Agrár", "Mezőgazdasági", "Takarmány"),
        ("Egészségügyi", "Orvostechnika", "Labor"),
        ("Hotel", "Vendéglátó", "Turisztikai"),
    ),
    "EN": (
        ("Engineering", "Precision Components", "Fabrication", "Plastics"),
        ("Foods", "Dairies", "Bakeries", "Brewing"),
        ("Logistics", "Freight", "Distribution"),
        ("Wholesale", "Trading", "Supplies"),
        ("Construction", "Building Materials", "Contractors"),
        ("Auto Parts", "Fleet Services"),
        ("Chemicals", "Coatings", "Pharma"),
        ("Energy", "Solar", "Power"),
        ("Software", "Systems", "Data"),
        ("Agri", "Farm Supplies", "Growers"),
        ("Healthcare", "Medical", "Diagnostics"),
        ("Hotels", "Catering", "Hospitality"),
    ),
}

# Regions, rivers and landmarks, in the form that goes into a name.
_PLACES: dict[str, tuple[str, ...]] = {
    "PT": ("do Norte", "do Minho", "do Tejo", "do Douro", "do Atlântico", "da Beira",
           "do Algarve", "do Mondego", "do Sado", "do Oeste", "do Alentejo", "da Estrela",
           "do Vouga", "de Aveiro"),
    "LT": ("Baltijos", "Nemuno", "Neries", "Gintaro", "Žalgirio", "Aukštaitijos",
           "Žemaitijos", "Dzūkijos", "Šiaurės", "Vakarų", "Rytų", "Vilniaus", "Kauno",
           "Klaipėdos"),
    "RU": ("Урал", "Сиб", "Волга", "Нева", "Дон", "Кама", "Север", "Восток", "Центр",
           "Евро", "Техно", "Гранд", "Альфа", "Балт", "Амур"),
    "PL": ("Wisła", "Odra", "Warta", "Bałtyk", "Mazowsze", "Śląsk", "Karpaty", "Tatry",
           "Pomorze", "Warmia", "Kujawy", "Podhale", "Sudety", "Wielkopolska"),
    "HU": ("Pannon", "Duna", "Tisza", "Mátra", "Alföld", "Balaton", "Bakony", "Zemplén",
           "Hungária", "Rába", "Körös", "Hajdú", "Kárpát", "Dráva"),
    "GB": ("Albion", "Pennine", "Thames", "Severn", "Mersey", "Tyne", "Cotswold", "Chiltern",
           "Northbridge", "Kingsway", "Highfield", "Trent", "Humber", "Wessex"),
    "IE": ("Shannon", "Liffey", "Atlantic", "Emerald", "Wicklow", "Burren", "Corrib",
           "Slaney", "Boyne", "Kerry", "Suir", "Lee Valley", "Mourne", "Connacht"),
    "US": ("Keystone", "Lakeshore", "Redwood", "Summit", "Great Plains", "Bayview",
           "Liberty", "Pioneer", "Cascade", "Gulf Coast", "Blue Ridge", "Prairie",
           "Evergreen", "Granite"),
}  # fmt: skip

# Coined names: a stem of the country and a trade ending.
_STEMS = {
    "PT": ("Luso", "Tejo", "Iber", "Atlanti", "Minho"),
    "LT": ("Balt", "Lit", "Nemu", "Vil", "Gint"),
    "PL": ("Pol", "Mazow", "Inter", "Tech", "Eko"),
    "HU": ("Hungaro", "Pannon", "Duna", "Magyar", "Tisza"),
}
_ENDINGS = (
    ("metal", "tec", "plast"), ("food", "lac"), ("log", "trans", "cargo"), ("trade", "com"),
    ("build", "con"), ("auto", "parts"), ("chem", "pharm"), ("energy", "sol"),
    ("soft", "data", "net"), ("agro", "farm"), ("med", "care"), ("hotel", "tour"),
)  # fmt: skip

# Legal forms and how often each is met.
_FORMS = {
    "PT": (("Lda.", 0.72), ("S.A.", 0.28)),
    "LT": (("UAB", 0.78), ("AB", 0.14), ("MB", 0.08)),
    "RU": (("ООО", 0.78), ("АО", 0.22)),
    "PL": (("sp. z o.o.", 0.78), ("S.A.", 0.22)),
    "HU": (("Kft.", 0.78), ("Zrt.", 0.22)),
    "GB": (("Ltd", 0.82), ("PLC", 0.18)),
    "IE": (("Ltd", 0.85), ("PLC", 0.15)),
    "US": (("Inc.", 0.6), ("LLC", 0.3), ("Corp.", 0.1)),
}
_MAILBOX = {
    "PT": ("geral", "comercial"), "LT": ("info", "pardavimai"), "RU": ("info", "office"),
    "PL": ("biuro", "kontakt"), "HU": ("info", "iroda"), "GB": ("enquiries", "info"),
    "IE": ("info", "accounts"), "US": ("info", "contact"),
}  # fmt: skip


@dataclass(frozen=True)
class Company:
    name: str
    legal_name: str
    domain: str
    mailbox: str


def _form(rng: Random, country: str) -> str:
    roll, total = rng.random(), 0.0
    for form, share in _FORMS[country]:
        total += share
        if roll < total:
            return form
    return _FORMS[country][0][0]


def _legal(country: str, name: str, form: str) -> str:
    if country == "PT":
        return f"{name}, {form}"
    if country == "LT":
        return f"{form} „{name}“"
    if country == "RU":
        return f"{form} «{name}»"
    return f"{name} {form}"


def _trade_name(rng: Random, country: str, segment: int, family: str) -> str:
    trades = _TRADES.get(country, _TRADES["EN"])[segment]
    trade = rng.choice(trades)
    place = rng.choice(_PLACES[country])
    roll = rng.random()
    if country == "RU":
        return place + trade
    if roll < 0.14 and country in _STEMS:
        return rng.choice(_STEMS[country]) + rng.choice(_ENDINGS[segment])
    if roll < 0.28 and country != "LT":
        # Family businesses: "Ribeiro & Filhos", "Nowak i Syn", "Walker Logistics".
        if country == "PT":
            return f"{family} & {rng.choice(('Filhos', 'Irmãos'))}"
        if country == "PL":
            return f"{trade} {family}" if rng.random() < 0.5 else f"{family} i Syn"
        if country in ("GB", "IE"):
            return f"{family} & Sons" if rng.random() < 0.4 else f"{family} {trade}"
        return f"{family} {trade}"
    if country == "PT":
        return f"{trade} {place}"
    if country == "LT":
        return f"{place} {trade}"
    if country == "PL":
        return f"{trade} {place}"
    return f"{place} {trade}"


def company(
    rng: Random, country: str, segment: int, family: str, city: str, taken: set[str]
) -> Company:
    """A company of ``segment`` whose trade name is not in ``taken`` (which it joins)."""
    name = _trade_name(rng, country, segment, family)
    tries = 0
    while name in taken and tries < 40:
        name = _trade_name(rng, country, segment, family)
        tries += 1
    if name in taken:
        base, n = f"{name} {city}", 2
        name = base
        while name in taken:
            name, n = f"{base} {n}", n + 1
    taken.add(name)
    sep = "-" if " " in name.strip() and rng.random() < 0.3 else ""
    domain = f"{slug(name, sep) or ascii_fold(name)}.{_tld(country)}"
    mailbox = f"{rng.choice(_MAILBOX[country])}@{domain}"
    return Company(name, _legal(country, name, _form(rng, country)), domain, mailbox)


def _tld(country: str) -> str:
    return {"GB": "co.uk", "US": "com"}.get(country, country.lower())
