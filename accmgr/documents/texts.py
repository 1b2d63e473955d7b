"""The fixed text of every document, per document language.

Placeholders in braces (``{date}``, ``{number}``…) are filled by the templates with values
that are already formatted for the language; the filled text is escaped like any other.
"""

from __future__ import annotations

from collections.abc import Mapping

from accmgr.documents.brief_texts import BRIEF_TEXTS

LANGUAGES = ("en", "pt", "lt", "ru", "pl", "hu")

_DOCUMENT_TEXTS: Mapping[str, Mapping[str, str]] = {
    "en": {
        "offer_title": "Commercial offer",
        "contract_title": "Contract",
        "number": "No.",
        "version": "Version",
        "issued_on": "Date of issue",
        "contract_date": "Date",
        "valid_until": "Valid until",
        "supersedes": "Supersedes {number}",
        "supplier": "Supplier",
        "client": "Client",
        "tax_id": "Tax ID",
        "bank": "Bank account",
        "subject": "Subject",
        "offer_intro": "Thank you for your interest. We are pleased to offer the following:",
        "contract_intro": (
            "The parties agree on the supply of the goods and services listed below "
            "at the prices stated."
        ),
        "based_on_offer": "Based on offer {number}",
        "parties": "Parties",
        "contract_subject": "Subject of the contract",
        "prices": "Prices",
        "col_position": "#",
        "col_description": "Description",
        "col_quantity": "Qty",
        "col_unit": "Unit",
        "col_unit_price": "Unit price",
        "col_discount": "Disc.",
        "col_tax": "VAT",
        "col_net": "Net",
        "subtotal": "Subtotal",
        "document_discount": "Discount {rate}",
        "net_total": "Net total",
        "tax_on": "VAT {rate} on {base}",
        "tax_total": "Total VAT",
        "total": "Total",
        "payment_terms": "Payment terms",
        "delivery_terms": "Delivery terms",
        "validity": "Validity",
        "validity_text": "This offer is valid until {date}.",
        "special_terms": "Special terms",
        "referral_title": "Referral",
        "referral_text": (
            "The client agrees, when satisfied with the delivery, to recommend the supplier "
            "to other businesses and to act as a reference customer."
        ),
        "signatures": "Signatures",
        "for_supplier": "For the supplier",
        "for_client": "For the client",
        "signature_date": "Signature and date",
        "page_of": "Page {page} of {pages}",
    },
    "pt": {
        "offer_title": "Proposta comercial",
        "contract_title": "Contrato",
        "number": "N.º",
        "version": "Versão",
        "issued_on": "Data de emissão",
        "contract_date": "Data",
        "valid_until": "Válida até",
        "supersedes": "Substitui {number}",
        "supplier": "Fornecedor",
        "client": "Cliente",
        "tax_id": "NIF",
        "bank": "Dados bancários",
        "subject": "Assunto",
        "offer_intro": (
            "Agradecemos o seu interesse. Temos o prazer de apresentar a seguinte proposta:"
        ),
        "contract_intro": (
            "As partes acordam o fornecimento dos bens e serviços abaixo indicados, "
            "aos preços indicados."
        ),
        "based_on_offer": "Com base na proposta {number}",
        "parties": "Partes",
        "contract_subject": "Objeto do contrato",
        "prices": "Preços",
        "col_position": "#",
        "col_description": "Descrição",
        "col_quantity": "Qtd.",
        "col_unit": "Unid.",
        "col_unit_price": "Preço unit.",
        "col_discount": "Desc.",
        "col_tax": "IVA",
        "col_net": "Valor líquido",
        "subtotal": "Subtotal",
        "document_discount": "Desconto {rate}",
        "net_total": "Total líquido",
        "tax_on": "IVA {rate} sobre {base}",
        "tax_total": "Total de IVA",
        "total": "Total",
        "payment_terms": "Condições de pagamento",
        "delivery_terms": "Condições de entrega",
        "validity": "Validade",
        "validity_text": "Esta proposta é válida até {date}.",
        "special_terms": "Condições especiais",
        "referral_title": "Recomendação",
        "referral_text": (
            "O cliente aceita, se satisfeito com o fornecimento, recomendar o fornecedor "
            "a outras empresas e servir de cliente de referência."
        ),
        "signatures": "Assinaturas",
        "for_supplier": "Pelo fornecedor",
        "for_client": "Pelo cliente",
        "signature_date": "Assinatura e data",
        "page_of": "Página {page} de {pages}",
    },
    "lt": {
        "offer_title": "Komercinis pasiūlymas",
        "contract_title": "Sutartis",
        "number": "Nr.",
        "version": "Versija",
        "issued_on": "Išrašymo data",
        "contract_date": "Data",
        "valid_until": "Galioja iki",
        "supersedes": "Pakeičia {number}",
        "supplier": "Tiekėjas",
        "client": "Klientas",
        "tax_id": "PVM kodas",
        "bank": "Banko sąskaita",
        "subject": "Tema",
        "offer_intro": "Dėkojame už susidomėjimą. Maloniai siūlome:",
        "contract_intro": (
            "Šalys susitaria dėl toliau nurodytų prekių ir paslaugų tiekimo nurodytomis kainomis."
        ),
        "based_on_offer": "Pagal pasiūlymą {number}",
        "parties": "Šalys",
        "contract_subject": "Sutarties dalykas",
        "prices": "Kainos",
        "col_position": "#",
        "col_description": "Aprašymas",
        "col_quantity": "Kiekis",
        "col_unit": "Mato vnt.",
        "col_unit_price": "Vnt. kaina",
        "col_discount": "Nuolaida",
        "col_tax": "PVM",
        "col_net": "Suma be PVM",
        "subtotal": "Tarpinė suma",
        "document_discount": "Nuolaida {rate}",
        "net_total": "Iš viso be PVM",
        "tax_on": "PVM {rate} nuo {base}",
        "tax_total": "PVM iš viso",
        "total": "Iš viso mokėti",
        "payment_terms": "Mokėjimo sąlygos",
        "delivery_terms": "Pristatymo sąlygos",
        "validity": "Galiojimas",
        "validity_text": "Šis pasiūlymas galioja iki {date}.",
        "special_terms": "Specialiosios sąlygos",
        "referral_title": "Rekomendacija",
        "referral_text": (
            "Klientas, likęs patenkintas tiekimu, sutinka rekomenduoti tiekėją kitoms įmonėms "
            "ir būti rekomenduojančiu klientu."
        ),
        "signatures": "Parašai",
        "for_supplier": "Tiekėjo vardu",
        "for_client": "Kliento vardu",
        "signature_date": "Parašas ir data",
        "page_of": "Puslapis {page} iš {pages}",
    },
    "ru": {
        "offer_title": "Коммерческое предложение",
        "contract_title": "Договор",
        "number": "№",
        "version": "Версия",
        "issued_on": "Дата выставления",
        "contract_date": "Дата",
        "valid_until": "Действительно до",
        "supersedes": "Заменяет {number}",
        "supplier": "Поставщик",
        "client": "Клиент",
        "tax_id": "ИНН",
        "bank": "Банковские реквизиты",
        "subject": "Тема",
        "offer_intro": "Благодарим за интерес. Рады предложить:",
        "contract_intro": (
            "Стороны договорились о поставке перечисленных ниже товаров и услуг по указанным ценам."
        ),
        "based_on_offer": "На основании предложения {number}",
        "parties": "Стороны",
        "contract_subject": "Предмет договора",
        "prices": "Цены",
        "col_position": "№",
        "col_description": "Наименование",
        "col_quantity": "Кол-во",
        "col_unit": "Ед.",
        "col_unit_price": "Цена",
        "col_discount": "Скидка",
        "col_tax": "НДС",
        "col_net": "Сумма без НДС",
        "subtotal": "Промежуточный итог",
        "document_discount": "Скидка {rate}",
        "net_total": "Итого без НДС",
        "tax_on": "НДС {rate} с суммы {base}",
        "tax_total": "Итого НДС",
        "total": "Всего к оплате",
        "payment_terms": "Условия оплаты",
        "delivery_terms": "Условия поставки",
        "validity": "Срок действия",
        "validity_text": "Настоящее предложение действительно до {date}.",
        "special_terms": "Особые условия",
        "referral_title": "Рекомендации",
        "referral_text": (
            "Клиент, будучи удовлетворён поставкой, соглашается рекомендовать поставщика "
            "другим компаниям и выступать в качестве референтного клиента."
        ),
        "signatures": "Подписи",
        "for_supplier": "За поставщика",
        "for_client": "За клиента",
        "signature_date": "Подпись и дата",
        "page_of": "Страница {page} из {pages}",
    },
    "pl": {
        "offer_title": "Oferta handlowa",
        "contract_title": "Umowa",
        "number": "Nr",
        "version": "Wersja",
        "issued_on": "Data wystawienia",
        "contract_date": "Data",
        "valid_until": "Ważna do",
        "supersedes": "Zastępuje {number}",
        "supplier": "Dostawca",
        "client": "Klient",
        "tax_id": "NIP",
        "bank": "Rachunek bankowy",
        "subject": "Dotyczy",
        "offer_intro": "Dziękujemy za zainteresowanie. Z przyjemnością przedstawiamy ofertę:",
        "contract_intro": (
            "Strony uzgadniają dostawę wymienionych poniżej towarów i usług po podanych cenach."
        ),
        "based_on_offer": "Na podstawie oferty {number}",
        "parties": "Strony",
        "contract_subject": "Przedmiot umowy",
        "prices": "Ceny",
        "col_position": "Lp.",
        "col_description": "Opis",
        "col_quantity": "Ilość",
        "col_unit": "J.m.",
        "col_unit_price": "Cena jedn.",
        "col_discount": "Rabat",
        "col_tax": "VAT",
        "col_net": "Wartość netto",
        "subtotal": "Suma częściowa",
        "document_discount": "Rabat {rate}",
        "net_total": "Razem netto",
        "tax_on": "VAT {rate} od {base}",
        "tax_total": "Razem VAT",
        "total": "Razem do zapłaty",
        "payment_terms": "Warunki płatności",
        "delivery_terms": "Warunki dostawy",
        "validity": "Ważność",
        "validity_text": "Niniejsza oferta jest ważna do {date}.",
        "special_terms": "Warunki szczególne",
        "referral_title": "Polecenie",
        "referral_text": (
            "Klient, o ile będzie zadowolony z dostawy, zgadza się polecać dostawcę innym "
            "firmom i występować jako klient referencyjny."
        ),
        "signatures": "Podpisy",
        "for_supplier": "W imieniu dostawcy",
        "for_client": "W imieniu klienta",
        "signature_date": "Podpis i data",
        "page_of": "Strona {page} z {pages}",
    },
    "hu": {
        "offer_title": "Árajánlat",
        "contract_title": "Szerződés",
        "number": "Szám",
        "version": "Verzió",
        "issued_on": "Kiállítás dátuma",
        "contract_date": "Dátum",
        "valid_until": "Érvényes",
        "supersedes": "Felváltja: {number}",
        "supplier": "Szállító",
        "client": "Ügyfél",
        "tax_id": "Adószám",
        "bank": "Bankszámla",
        "subject": "Tárgy",
        "offer_intro": "Köszönjük érdeklődését. Ajánlatunk a következő:",
        "contract_intro": (
            "A felek megállapodnak az alább felsorolt termékek és szolgáltatások "
            "feltüntetett árakon történő szállításáról."
        ),
        "based_on_offer": "Alapul szolgáló ajánlat: {number}",
        "parties": "Felek",
        "contract_subject": "A szerződés tárgya",
        "prices": "Árak",
        "col_position": "#",
        "col_description": "Megnevezés",
        "col_quantity": "Menny.",
        "col_unit": "Egység",
        "col_unit_price": "Egységár",
        "col_discount": "Kedv.",
        "col_tax": "ÁFA",
        "col_net": "Nettó",
        "subtotal": "Részösszeg",
        "document_discount": "Kedvezmény {rate}",
        "net_total": "Nettó összesen",
        "tax_on": "ÁFA {rate}, alap: {base}",
        "tax_total": "ÁFA összesen",
        "total": "Fizetendő összesen",
        "payment_terms": "Fizetési feltételek",
        "delivery_terms": "Szállítási feltételek",
        "validity": "Érvényesség",
        "validity_text": "Az ajánlat érvényességi ideje: {date}",
        "special_terms": "Különleges feltételek",
        "referral_title": "Ajánlás",
        "referral_text": (
            "Az ügyfél – amennyiben elégedett a teljesítéssel – vállalja, hogy a szállítót "
            "más vállalkozásoknak ajánlja, és referenciaügyfélként szerepel."
        ),
        "signatures": "Aláírások",
        "for_supplier": "A szállító részéről",
        "for_client": "Az ügyfél részéről",
        "signature_date": "Aláírás és dátum",
        "page_of": "Oldal: {page} / {pages}",
    },
}

# One table per language: the offer's and contract's texts, then the meeting brief's.
TEXTS: Mapping[str, Mapping[str, str]] = {
    language: {**_DOCUMENT_TEXTS[language], **BRIEF_TEXTS[language]} for language in LANGUAGES
}


def texts_for(language: str) -> Mapping[str, str]:
    """The texts of ``language``; an unknown language is an error, never a silent English."""
    try:
        return TEXTS[language]
    except KeyError:
        known = ", ".join(LANGUAGES)
        raise LookupError(f"no document texts in {language!r}; known: {known}") from None
