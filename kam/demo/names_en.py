"""The English demo's words: names of people, clients, products and competitors, and texts.

The lists the random draws pick from are parallel to those in ``names_ru`` (same length, same
order), so both languages give the same figures; the words of names may differ in number.
"""

from __future__ import annotations

SEGMENTS = ("Retail chain", "Independent retail", "HoReCa", "Wholesale", "Institutional")
REGIONS = ("Moscow", "Moscow region", "St Petersburg", "Tver", "Kaluga", "Tula", "Yaroslavl")
# Price-list columns and their discounts; the last is the key clients' column.
PRICE_COLUMNS = {"Base": 0.0, "Wholesale 3%": 0.03, "Wholesale 5%": 0.05, "Key 8%": 0.08}

HEAD = "Viktor Belov"
ADMIN = "Anna Zaitseva"
FIRST = ("Alexei", "Irina", "Dmitry", "Olga", "Sergei", "Natalia", "Andrei", "Elena", "Pavel",
         "Marina", "Ivan", "Tatiana", "Mikhail", "Svetlana", "Nikolai", "Yulia")  # fmt: skip
FEMALE = frozenset({"Anna", "Irina", "Olga", "Natalia", "Elena", "Marina", "Tatiana",
                    "Svetlana", "Yulia"})  # fmt: skip
# Surnames in the male form and, parallel, the female form (Kozlov, Kozlova).
LAST = ("Ivanov", "Smirnov", "Kuznetsov", "Popov", "Volkov", "Sokolov", "Lebedev", "Kozlov",
        "Novikov", "Morozov", "Petrov", "Orlov", "Egorov", "Pavlov")  # fmt: skip
LAST_FEMALE = ("Ivanova", "Smirnova", "Kuznetsova", "Popova", "Volkova", "Sokolova", "Lebedeva",
               "Kozlova", "Novikova", "Morozova", "Petrova", "Orlova", "Egorova",
               "Pavlova")  # fmt: skip
POSITIONS = ("Purchasing manager", "Owner", "Chief accountant", "Category manager", "Chef")

# A client's name: one of its segment's patterns filled with a word, a number and a person;
# word and pattern follow the client's place in the whole list.
NAMES_BY_SEGMENT = False
CLIENT_WORDS = ("Vega", "Sever", "Ural", "Volga", "Zarya", "Baikal", "Neva", "Altai", "Orion",
                "Kedr", "Rassvet", "Yug", "Lotos", "Almaz", "Radius", "Kristall", "Start",
                "Gorizont", "Mayak", "Sokol")  # fmt: skip
CLIENT_NAMES = (
    ("{word} supermarkets {n}", "{word} Market {n}", "{word} Retail {n}"),
    ("{word} store {n}", "{word} Shop {n}", "{word} Mini-market {n}"),
    ("{word} Restaurant {n}", "{word} Cafe {n}", "{word} Catering {n}"),
    ("{word} Trade {n}", "{word} Distribution {n}", "{word} Opt {n}"),
    ("{word} School canteen {n}", "{word} Hospital kitchen {n}", "{word} Factory canteen {n}"),
)
SOLE_TRADERS: tuple[str, ...] = ()

CATEGORIES = (
    "Dairy", "Cheese", "Meat", "Poultry", "Fish & seafood", "Frozen", "Bakery", "Confectionery",
    "Grocery", "Canned goods", "Beverages", "Coffee & tea", "Fruit & vegetables", "Oils & sauces",
    "Household",
)  # fmt: skip
# A product's name: {category}, {n} (its number in the category), {item} and {brand}.
PRODUCT_NAME = "{category} item {n}"
PRODUCT_ITEMS: tuple[tuple[str, ...], ...] = ()
BRANDS: tuple[str, ...] = ()

RETURN_REASONS = ("Damaged packaging", "Short shelf life", "Quality complaint", "Overstock")
REFUSAL_REASONS = ("Wrong item shipped", "Price disagreement", "Late delivery", "Not ordered")

COMPETITORS = ("AgroTorg Supply", "Metro Cash&Carry", "FoodLine", "Severnaya Baza",
               "Prodsnab-M", "Vkusnaya Logistika")  # fmt: skip
OUTCOMES = ("Order agreed", "Discussed new price list", "Tasting arranged",
            "Complaint about delivery times", "Asked for a better payment deferral",
            "Interested in a new category", "No decision yet")  # fmt: skip
NEXT_STEPS = ("Send a commercial offer", "Call back about the order", "Bring samples",
              "Agree the promo calendar", "Send the reconciliation act")  # fmt: skip

CLAIM_KINDS = {
    "shortage": "Shortage",
    "mis_grade": "Mis-grading",
    "damage": "Damage",
    "quality": "Quality",
    "expiry": "Expiry",
    "price": "Price",
    "late_delivery": "Late delivery",
    "return": "Return",
    "refusal": "Refusal",
}
CLAIM_DESCRIPTION = "{kind} on delivery {doc}"
ROOT_CAUSES = ("Picking error at the warehouse", "Carrier damaged the goods",
               "Supplier batch defect", "Price list not updated", "Route overloaded")  # fmt: skip
# What closing a claim says: justified, then not justified.
RESOLUTIONS = ("Credit note issued", "Claim not confirmed by the check")

# A competitor note's text by kind: {cat} is the category, {lower} the same in lower case.
NOTE_TEXTS = {
    "price": "Offers {lower} {gap}% cheaper than our price list",
    "promo": "Runs a 'buy 10 get 1' promotion on {lower}",
    "new_product": "Brought a new private-label line in {lower}",
    "lost_order": "Took the weekly {lower} order from us",
    "other": "Their sales rep visits the client every week",
}
