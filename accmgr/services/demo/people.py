"""People's names as they are written in each country of the demo data.

Surnames agree with gender where the language says so: Lithuanian women's surnames take
the married (-ienė) or maiden (-aitė, -ytė, -utė, -iūtė) form of the family name, Russian
ones the feminine form (Смирнов → Смирнова), Polish adjectival ones -ska/-cka. Hungarian
names are written family name first ("Szabó Zsófia"); some married women use the
husband's surname with -né before their own ("Nagyné Kiss Andrea").
"""

from __future__ import annotations

from dataclasses import dataclass
from random import Random

from accmgr.services.demo.text import ascii_fold


@dataclass(frozen=True)
class Person:
    name: str  # as written in the country
    given: str
    family: str
    female: bool

    def email_local(self) -> str:
        return f"{ascii_fold(self.given)}.{ascii_fold(self.family)}"


_PT_MEN = (
    "João", "José", "António", "Francisco", "Manuel", "Luís", "Pedro", "Rui", "Tiago",
    "Miguel", "Gonçalo", "Nuno", "Ricardo", "Paulo", "Duarte", "Rodrigo", "Simão", "Vasco",
    "André", "Sérgio",
)  # fmt: skip
_PT_WOMEN = (
    "Maria", "Ana", "Inês", "Beatriz", "Mariana", "Catarina", "Sofia", "Joana", "Leonor",
    "Carolina", "Margarida", "Rita", "Marta", "Teresa", "Filipa", "Sónia", "Patrícia",
    "Conceição", "Graça", "Helena",
)  # fmt: skip
_PT_FAMILY = (
    "Silva", "Santos", "Ferreira", "Pereira", "Oliveira", "Costa", "Rodrigues", "Martins",
    "Sousa", "Fernandes", "Gonçalves", "Gomes", "Lopes", "Marques", "Alves", "Almeida",
    "Ribeiro", "Pinto", "Carvalho", "Teixeira", "Moreira", "Correia", "Mendes", "Nunes",
    "Soares", "Vieira", "Monteiro", "Cardoso", "Rocha", "Magalhães", "Araújo", "Simões",
    "Brandão", "Falcão", "Conceição",
)  # fmt: skip

_LT_MEN = (
    "Jonas", "Tomas", "Mantas", "Lukas", "Darius", "Paulius", "Mindaugas", "Andrius",
    "Žygimantas", "Vytautas", "Gintaras", "Rimantas", "Audrius", "Kęstutis", "Saulius",
    "Algirdas", "Arūnas", "Ąžuolas", "Dovydas", "Giedrius", "Šarūnas", "Marius", "Vaidotas",
)  # fmt: skip
_LT_WOMEN = (
    "Rūta", "Eglė", "Agnė", "Ieva", "Giedrė", "Jurgita", "Kristina", "Laura", "Rasa", "Asta",
    "Dalia", "Aušra", "Vaida", "Indrė", "Gintarė", "Jūratė", "Simona", "Greta", "Živilė",
    "Neringa", "Ugnė", "Lina", "Vilma",
)  # fmt: skip
# (man's form, married woman's form, unmarried woman's form)
_LT_FAMILY = (
    ("Kazlauskas", "Kazlauskienė", "Kazlauskaitė"),
    ("Jankauskas", "Jankauskienė", "Jankauskaitė"),
    ("Petrauskas", "Petrauskienė", "Petrauskaitė"),
    ("Stankevičius", "Stankevičienė", "Stankevičiūtė"),
    ("Vasiliauskas", "Vasiliauskienė", "Vasiliauskaitė"),
    ("Žukauskas", "Žukauskienė", "Žukauskaitė"),
    ("Butkus", "Butkienė", "Butkutė"),
    ("Paulauskas", "Paulauskienė", "Paulauskaitė"),
    ("Urbonas", "Urbonienė", "Urbonaitė"),
    ("Kavaliauskas", "Kavaliauskienė", "Kavaliauskaitė"),
    ("Šimkus", "Šimkienė", "Šimkutė"),
    ("Balčiūnas", "Balčiūnienė", "Balčiūnaitė"),
    ("Navickas", "Navickienė", "Navickaitė"),
    ("Ramanauskas", "Ramanauskienė", "Ramanauskaitė"),
    ("Petraitis", "Petraitienė", "Petraitytė"),
    ("Adomaitis", "Adomaitienė", "Adomaitytė"),
    ("Mažeika", "Mažeikienė", "Mažeikaitė"),
    ("Griškevičius", "Griškevičienė", "Griškevičiūtė"),
    ("Rimkus", "Rimkienė", "Rimkutė"),
    ("Valančius", "Valančienė", "Valančiūtė"),
    ("Dambrauskas", "Dambrauskienė", "Dambrauskaitė"),
    ("Lukoševičius", "Lukoševičienė", "Lukoševičiūtė"),
    ("Kairys", "Kairienė", "Kairytė"),
    ("Sabonis", "Sabonienė", "Sabonytė"),
)

_RU_MEN = (
    "Александр", "Сергей", "Дмитрий", "Андрей", "Алексей", "Михаил", "Иван", "Николай",
    "Владимир", "Евгений", "Павел", "Артём", "Максим", "Игорь", "Олег", "Юрий",
)  # fmt: skip
_RU_WOMEN = (
    "Ольга", "Елена", "Наталья", "Татьяна", "Ирина", "Анна", "Мария", "Светлана",
    "Екатерина", "Юлия", "Марина", "Анастасия", "Ксения", "Людмила", "Дарья",
)  # fmt: skip
# Patronymics from the father's name: (son's, daughter's).
_RU_PATRONYMICS = (
    ("Александрович", "Александровна"), ("Сергеевич", "Сергеевна"),
    ("Дмитриевич", "Дмитриевна"), ("Андреевич", "Андреевна"), ("Алексеевич", "Алексеевна"),
    ("Михайлович", "Михайловна"), ("Иванович", "Ивановна"), ("Николаевич", "Николаевна"),
    ("Владимирович", "Владимировна"), ("Викторович", "Викторовна"), ("Юрьевич", "Юрьевна"),
    ("Евгеньевич", "Евгеньевна"), ("Павлович", "Павловна"), ("Петрович", "Петровна"),
)  # fmt: skip
# (man's form, woman's form); some surnames do not change.
_RU_FAMILY = (
    ("Смирнов", "Смирнова"), ("Иванов", "Иванова"), ("Кузнецов", "Кузнецова"),
    ("Попов", "Попова"), ("Васильев", "Васильева"), ("Петров", "Петрова"),
    ("Соколов", "Соколова"), ("Михайлов", "Михайлова"), ("Новиков", "Новикова"),
    ("Фёдоров", "Фёдорова"), ("Морозов", "Морозова"), ("Волков", "Волкова"),
    ("Лебедев", "Лебедева"), ("Семёнов", "Семёнова"), ("Егоров", "Егорова"),
    ("Козлов", "Козлова"), ("Степанов", "Степанова"), ("Орлов", "Орлова"),
    ("Никитин", "Никитина"), ("Захаров", "Захарова"), ("Зайцев", "Зайцева"),
    ("Соловьёв", "Соловьёва"), ("Борисов", "Борисова"), ("Яковлев", "Яковлева"),
    ("Григорьев", "Григорьева"), ("Воробьёв", "Воробьёва"), ("Ильин", "Ильина"),
    ("Вишневский", "Вишневская"), ("Покровский", "Покровская"), ("Черных", "Черных"),
    ("Шевченко", "Шевченко"),
)  # fmt: skip

_PL_MEN = (
    "Piotr", "Krzysztof", "Andrzej", "Tomasz", "Paweł", "Michał", "Marcin", "Łukasz", "Jakub",
    "Grzegorz", "Adam", "Marek", "Wojciech", "Mateusz", "Bartłomiej", "Dariusz", "Zbigniew",
    "Kamil", "Rafał", "Sławomir",
)  # fmt: skip
_PL_WOMEN = (
    "Anna", "Maria", "Katarzyna", "Małgorzata", "Agnieszka", "Barbara", "Ewa", "Magdalena",
    "Joanna", "Aleksandra", "Monika", "Beata", "Dorota", "Justyna", "Agata", "Grażyna",
    "Elżbieta", "Urszula", "Jolanta", "Żaneta",
)  # fmt: skip
# Adjectival surnames agree with gender (-ski/-ska, -cki/-cka); the others do not change.
_PL_FAMILY = (
    ("Kowalski", "Kowalska"), ("Wiśniewski", "Wiśniewska"), ("Lewandowski", "Lewandowska"),
    ("Kamiński", "Kamińska"), ("Zieliński", "Zielińska"), ("Szymański", "Szymańska"),
    ("Dąbrowski", "Dąbrowska"), ("Kozłowski", "Kozłowska"), ("Jankowski", "Jankowska"),
    ("Wojciechowski", "Wojciechowska"), ("Kwiatkowski", "Kwiatkowska"),
    ("Piotrowski", "Piotrowska"), ("Grabowski", "Grabowska"), ("Pawłowski", "Pawłowska"),
    ("Jabłoński", "Jabłońska"), ("Wysocki", "Wysocka"), ("Górecki", "Górecka"),
    ("Nowak", "Nowak"), ("Wójcik", "Wójcik"), ("Kowalczyk", "Kowalczyk"),
    ("Woźniak", "Woźniak"), ("Mazur", "Mazur"), ("Krawczyk", "Krawczyk"),
    ("Kaczmarek", "Kaczmarek"), ("Zając", "Zając"), ("Król", "Król"), ("Wróbel", "Wróbel"),
    ("Dudek", "Dudek"), ("Pawlak", "Pawlak"), ("Wieczorek", "Wieczorek"),
    ("Szewczyk", "Szewczyk"),
)  # fmt: skip

_HU_MEN = (
    "László", "István", "József", "János", "Zoltán", "Sándor", "Gábor", "Ferenc", "Attila",
    "Péter", "Tamás", "Zsolt", "Balázs", "Gergely", "Csaba", "Levente", "Ákos", "Dávid",
    "Bence", "Márton",
)  # fmt: skip
_HU_WOMEN = (
    "Mária", "Erzsébet", "Katalin", "Ilona", "Éva", "Anna", "Zsuzsanna", "Krisztina",
    "Andrea", "Judit", "Ágnes", "Eszter", "Zsófia", "Réka", "Dóra", "Tímea", "Orsolya",
    "Nóra", "Enikő", "Boglárka",
)  # fmt: skip
_HU_FAMILY = (
    "Nagy", "Kovács", "Tóth", "Szabó", "Horváth", "Varga", "Kiss", "Molnár", "Németh",
    "Farkas", "Balogh", "Papp", "Takács", "Juhász", "Lakatos", "Mészáros", "Oláh", "Simon",
    "Rácz", "Fekete", "Szűcs", "Török", "Fehér", "Gál", "Pintér", "Szilágyi", "Vörös",
    "Bíró", "Kertész", "Halász",
)  # fmt: skip

_GB_MEN = (
    "Oliver", "James", "William", "Thomas", "Harry", "George", "Jack", "Daniel", "Matthew",
    "Christopher", "Andrew", "David", "Richard", "Mark", "Paul", "Stephen",
)  # fmt: skip
_GB_WOMEN = (
    "Olivia", "Emily", "Charlotte", "Sophie", "Jessica", "Emma", "Hannah", "Sarah", "Rebecca",
    "Laura", "Rachel", "Claire", "Helen", "Victoria", "Amelia", "Lucy",
)  # fmt: skip
_GB_FAMILY = (
    "Smith", "Jones", "Williams", "Taylor", "Brown", "Davies", "Evans", "Wilson", "Thomas",
    "Johnson", "Roberts", "Robinson", "Thompson", "Wright", "Walker", "White", "Hughes",
    "Edwards", "Green", "Hall", "Wood", "Harris", "Lewis", "Clarke", "Patel", "Khan",
)  # fmt: skip
_IE_MEN = (
    "Seán", "Ciarán", "Pádraig", "Eoin", "Darragh", "Cian", "Conor", "Niall", "Declan",
    "Liam", "Colm", "Brian",
)  # fmt: skip
_IE_WOMEN = (
    "Aoife", "Siobhán", "Niamh", "Orla", "Sinéad", "Caoimhe", "Róisín", "Aisling",
    "Clodagh", "Gráinne", "Ciara", "Deirdre",
)  # fmt: skip
_IE_FAMILY = (
    "Murphy", "Kelly", "O'Sullivan", "Walsh", "O'Brien", "Byrne", "Ryan", "O'Connor",
    "O'Neill", "McCarthy", "Doyle", "Gallagher", "Kennedy", "Lynch", "Quinn", "Ó Briain",
)  # fmt: skip
_US_MEN = (
    "Michael", "John", "Robert", "David", "Christopher", "Joshua", "Brian", "Kevin", "Jason",
    "Ryan", "Carlos", "Anthony",
)  # fmt: skip
_US_WOMEN = (
    "Jennifer", "Jessica", "Ashley", "Amanda", "Megan", "Lauren", "Nicole", "Stephanie",
    "Maria", "Rachel", "Emily", "Michelle",
)  # fmt: skip
_US_FAMILY = (
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis",
    "Rodriguez", "Martinez", "Anderson", "Taylor", "Moore", "Jackson", "Lee", "Harris",
    "Clark", "Walker", "Nguyen", "Patel", "Kim", "Robinson",
)  # fmt: skip

_ENGLISH = {
    "GB": (_GB_MEN, _GB_WOMEN, _GB_FAMILY),
    "IE": (_IE_MEN, _IE_WOMEN, _IE_FAMILY),
    "US": (_US_MEN, _US_WOMEN, _US_FAMILY),
}


def person(rng: Random, country: str) -> Person:
    """A plausible person of ``country``, with the name written the way it is written there."""
    female = rng.random() < 0.45
    if country == "PT":
        given = rng.choice(_PT_WOMEN if female else _PT_MEN)
        family = rng.choice(_PT_FAMILY)
        while family == given:
            family = rng.choice(_PT_FAMILY)
        # Many Portuguese carry the mother's and the father's surnames.
        middle = rng.choice(_PT_FAMILY) if rng.random() < 0.35 else family
        shown = f"{given} {family}" if middle == family else f"{given} {middle} {family}"
        return Person(shown, given, family, female)
    if country == "LT":
        given = rng.choice(_LT_WOMEN if female else _LT_MEN)
        forms = rng.choice(_LT_FAMILY)
        family = (forms[1] if rng.random() < 0.6 else forms[2]) if female else forms[0]
        return Person(f"{given} {family}", given, family, female)
    if country == "RU":
        given = rng.choice(_RU_WOMEN if female else _RU_MEN)
        family = rng.choice(_RU_FAMILY)[1 if female else 0]
        if rng.random() < 0.5:
            patronymic = rng.choice(_RU_PATRONYMICS)[1 if female else 0]
            return Person(f"{given} {patronymic} {family}", given, family, female)
        return Person(f"{given} {family}", given, family, female)
    if country == "PL":
        given = rng.choice(_PL_WOMEN if female else _PL_MEN)
        family = rng.choice(_PL_FAMILY)[1 if female else 0]
        return Person(f"{given} {family}", given, family, female)
    if country == "HU":
        given = rng.choice(_HU_WOMEN if female else _HU_MEN)
        family = rng.choice(_HU_FAMILY)
        if female and rng.random() < 0.12:
            husband = rng.choice(_HU_FAMILY)
            if husband != family:
                return Person(f"{husband}né {family} {given}", given, family, female)
        return Person(f"{family} {given}", given, family, female)
    men, women, families = _ENGLISH[country]
    given = rng.choice(women if female else men)
    family = rng.choice(families)
    return Person(f"{given} {family}", given, family, female)


# The key-account managers of the team using accmgr: the owners of clients and deals.
KAM_OWNERS = (
    "Rūta Vasiliauskienė",
    "Marta Gonçalves",
    "Piotr Zieliński",
    "James Whitfield",
    "Kovács Eszter",
)
