"""Word lists the recogniser's rules use (Turkish and English). Matched on the word before any
apostrophe suffix, exactly as written (these are capitalised inside names)."""

from __future__ import annotations


def words(text: str) -> frozenset[str]:
    """The whitespace-separated words of ``text``."""
    return frozenset(text.split())


# A role before a name: what follows is a person ("MİT Başkanı İbrahim Kalın").
ROLES = words(
    """Ambassador Bakan Bakanı Başbakan Başbakanı Başkan Başkanı Başsavcısı Büyükelçisi Chancellor
    Chief Commander Commissioner Coordinator Cumhurbaşkanı Director Director-General Direktörü
    Elçisi Emir Emiri
    Envoy Governor King Komiseri Komutanı Koordinatörü Kralı Lideri Milletvekili Minister Müdürü
    Premier Prensi President Prince Representative Secretary Secretary-General Sekreteri Sheikh
    Spokesman Spokesperson Spokeswoman Sözcüsü Temsilcisi Valisi Veliahtı Yardımcısı Şeyh Şeyhi"""
)

# Words between an organisation and a role, dropped from the organisation
# ("Türk Kızılay Genel Başkanı", "Hamas Siyasi Bürosu Müzakere Heyeti Başkanı").
ROLE_MODIFIERS = words(
    """Acting Adalet Baş Chief Cumhurbaşkanlığı Defence Defense Deputy Dışişleri Enerji Executive
    Foreign Genel General Hazine Heyeti High Interior İletişim İçişleri Maliye Milli Müzakere
    Prime Savunma Sağlık Senior Siyasi Special Ticaret Vice Yüksek Özel"""
)

# The last word of an organisation's name.
ORG_HEADS = words(
    """Administration Agency Ajansı Alliance Army Assembly Association Authority Bakanlığı Bank
    Bankası Başkanlığı Belediyesi Birliği Borsası Bureau Bürosu Cabinet Cemiyeti Cephesi
    Commission Committee Enstitüsü Fakültesi Gazetesi Grubu Hastanesi Kongresi Kulübü Lisesi
    Odası Radyosu Sendikası Takımı Televizyonu Akademisi
    Company Corporation Council Court Derneği Divanı Federasyonu Fonu Forces Foundation Front
    Fund Girişimi Government Group Gücü Hareketi Heyeti Holding Hükümeti Initiative Institute
    Komiserliği Komisyonu Komitesi Konfederasyonu Konseyi Kurulu Kurumu Kuvvetleri Kızılay
    Mahkemesi Meclisi Merkezi Ministry Movement Müdürlüğü Office Ofisi Ordusu Organisation
    Organization Parliament Partisi Party Program Programme Programı Sekreterliği Service
    Services Teşkilatı Union University Vakfı Valiliği Yönetimi Örgütü Üniversitesi Şirketi"""
)

# The last word of a place's name.
PLACE_HEADS = words(
    """Adası Airport Bay Boğazı Bölgesi Bulvarı Caddesi Camp City Crossing Dağı Gulf Havalimanı
    Island İlçesi Kampı Parkı Sokağı Sokak Stadı Stadyumu
    Kapısı Kenti Koridoru Körfezi Köyü Limanı Mahallesi Meydanı Nehri Port Province Region River
    Sahili Square Strip Valley Şeridi"""
)

# Small words allowed inside a name when a capitalised word follows.
NAME_PARTICLES = words("""Al al bin bint der El el ibn van von""")

# Connectors that may join two capitalised runs into one organisation's name.
CONNECTORS = words("""and for in of the ve""")

# Capitalised words that are never part of a name: days, months, titles of address.
NOT_NAMES = words(
    """April Aralık August Ağustos Bay Bayan Cuma Cumartesi December Dr Ekim Eylül February Friday
    Haziran January July June Kasım March Mart May Mayıs Monday Mr Mrs Ms Nisan November Ocak
    October Pazar Pazartesi Perşembe Salı Saturday Sayın September Sunday Temmuz Thursday
    Tuesday Wednesday Çarşamba Şubat
    Ben Benim Bir Biz Bize Bu Bunu Doç Her Hiç Onlar Prof Sen Siz Yrd Şu"""
)

# Demonyms and other adjectives: part of a name ("Türk Kızılay", "European Commission"),
# never a name alone ("Egyptian President", "Türk heyeti").
ADJECTIVES = words(
    """Afghan African Alman American Amerikan Arab Arabic Arap British Chinese Christian Egyptian
    Çek Emirati European Fransız French German Indian Iranian Iraqi Israeli İngiliz Jewish Jordanian
    Kurdish Kürt Lebanese Muslim Pakistani Palestinian Qatari Romanian Rus Russian Saudi Shia
    Sudanese Sunni Syrian Turkish Türk Ukrainian Yemeni"""
)

# Nouns after which "of X" names a place ("the village of Zindajan").
PLACE_NOUNS = words("""city county district province region state town village""")

# Lowercase words right after a name that make it a place ("Herat kentinde").
PLACE_FOLLOWERS = (
    "kent",
    "şehr",
    "köy",
    "ilçe",
    "bölge",
    "beldes",
    "vilayet",
    "eyalet",
    "city",
    "town",
    "village",
    "province",
    "region",
)

# Leading words dropped from a run unless the whole run is a known name ("The Hague").
LEADING_ARTICLES = words(
    """A After An Ancak And As At Bu But By During For From In Meanwhile O On The While With
    Öte Şu"""
)

# Endings that make a place into a demonym (Mısırlı, İstanbullu): not a name of its own.
DEMONYM_ENDINGS = ("lı", "li", "lu", "lü")

# Suffixes after an apostrophe that mark a place (locative and ablative cases).
PLACE_SUFFIXES = words("""da dan de den dır nda ndan nde nden ta tan te ten yla yle""")

# English words before a place.
PLACE_PREPOSITIONS = words("""at from in near""")
