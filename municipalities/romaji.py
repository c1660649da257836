"""English names of Japan's local governments, romanised from their names in kana.

The name without its kind is written in modified Hepburn (pykakasi's `hepburn`), with long
vowels as the municipalities write their own names in English — ou and oo as o, uu as u,
no macrons (とうきょう Tokyo, おおいた Oita, こうち Kochi, じょうえつ Joetsu) — and followed by
its kind: 飯綱町 いいづなまち "Iizuna Town", 長野市 ながのし "Nagano City".

Pure: no database. A country-wide list romanises about 1,900 names, so each conversion is
cached.
"""

import functools
import re

import pykakasi

# The kana a kind's name ends in, and the word that follows the name in English.
SUFFIXES: dict[str, tuple[tuple[str, ...], str]] = {
    "city": (("し",), "City"),
    "town": (("まち", "ちょう"), "Town"),
    "village": (("むら", "そん"), "Village"),
    # Tokyo's 23 special wards are cities in all but name (basic local governments since
    # 2000) and each calls itself "… City" in English (Shinjuku City, Chiyoda City,
    # Setagaya City); "Ward" would confuse them with the wards of a designated city.
    "special_ward": (("く",), "City"),
    "ward": (("く",), "Ward"),
}
# A prefecture's suffix and its English: 県 and 府 "Prefecture" (Nagano Prefecture, Osaka
# Prefecture, Kyoto Prefecture), 都 "Metropolis" (Tokyo Metropolis); 北海道 is "Hokkaido",
# the 道 being part of the name as the prefecture writes it.
PREFECTURE_SUFFIXES = (("けん", "Prefecture"), ("ふ", "Prefecture"), ("と", "Metropolis"))
WHOLE_NAMES = {"ほっかいどう": "Hokkaido"}

# The 20 designated cities (政令指定都市), whose wards' kana start with the city's
# (さっぽろし ちゅうおうく). The registry keeps a ward's kana without the space the source puts
# between city and ward (さっぽろしちゅうおうく), so the city is found here.
DESIGNATED_CITIES = (
    "さっぽろし",
    "せんだいし",
    "さいたまし",
    "ちばし",
    "よこはまし",
    "かわさきし",
    "さがみはらし",
    "にいがたし",
    "しずおかし",
    "はままつし",
    "なごやし",
    "きょうとし",
    "おおさかし",
    "さかいし",
    "こうべし",
    "おかやまし",
    "ひろしまし",
    "きたきゅうしゅうし",
    "ふくおかし",
    "くまもとし",
)

# Kanji read from a う that begins a word, not one that lengthens the vowel before it: where
# the name writes them, that う stays (瀬戸内 せとうち Setouchi, 琴浦 Kotoura, 滝上 Takinoue,
# 山ノ内 Yamanouchi), while 高知 こうち stays Kochi.
WORD_STARTS = {"内": "うち", "浦": "うら", "上": "うえ"}

# Kana whose vowel is o or u: a following う (after o or u) or お (after o) lengthens it.
_O_VOWEL = frozenset("おこごそぞとどのほぼぽもよろをょぉ")
_U_VOWEL = frozenset("うくぐすずつづぬふぶぷむゆるゅぅゔ")


@functools.cache
def _converter() -> pykakasi.kakasi:
    return pykakasi.kakasi()


def _hiragana(text: str) -> str:
    """Katakana as hiragana (the registry's kana are hiragana; a typed one may not be)."""
    return "".join(chr(ord(c) - 0x60) if "ァ" <= c <= "ヶ" else c for c in text)


def _word_starts(kana: str, name: str) -> frozenset[int]:
    """Where in the kana a word of WORD_STARTS begins, as the name writes it in kanji after
    its first character (上越 is じょうえつ, Joetsu: its 上 begins the name and reads じょう)."""
    return frozenset(
        match.start()
        for kanji, reading in WORD_STARTS.items()
        if name.find(kanji, 1) > 0
        for match in re.finditer(reading, kana)
    )


def _short_vowels(kana: str, keep: frozenset[int] = frozenset()) -> str:
    """The kana without the marks of long vowels: the う of とう, きょう, ちゅう and the second
    お of おお, except at the positions `keep`. A vowel lengthens once: おおうち (大内) is
    "Ouchi", not "Ochi"."""
    kept: list[str] = []
    lengthened = False
    for index, char in enumerate(kana):
        previous = kept[-1] if kept else ""
        if (
            not lengthened
            and index not in keep
            and (
                char == "ー"
                or (char == "う" and (previous in _O_VOWEL or previous in _U_VOWEL))
                or (char == "お" and previous in _O_VOWEL)
            )
        ):
            lengthened = True
            continue
        kept.append(char)
        lengthened = False
    return "".join(kept)


@functools.lru_cache(maxsize=4096)
def romanised(kana: str, name: str = "") -> str:
    """A name in kana (without its kind) in Hepburn with simplified long vowels,
    capitalised: いいづな "Iizuna", ちゅうおう "Chuo". `name`, in kanji, tells where a word
    begins with a vowel (WORD_STARTS)."""
    kana = _hiragana(kana.strip())
    kana = _short_vowels(kana, _word_starts(kana, name))
    text = "".join(part["hepburn"] for part in _converter().convert(kana))
    return text[:1].upper() + text[1:]


def _without(kana: str, suffixes: tuple[str, ...]) -> str:
    for suffix in suffixes:
        if kana.endswith(suffix) and len(kana) > len(suffix):
            return kana[: -len(suffix)]
    return kana


def _ward(kana: str, name: str) -> str:
    """A ward of a designated city: さっぽろし ちゅうおうく (or without the space) "Chuo
    Ward, Sapporo"."""
    city, _, ward = kana.partition(" ")
    if not ward:
        city = next((c for c in DESIGNATED_CITIES if kana.startswith(c) and kana != c), "")
        ward = kana[len(city) :]
    ward_name = f"{romanised(_without(ward, ('く',)), name)} Ward"
    return f"{ward_name}, {romanised(_without(city, ('し',)), name)}" if city else ward_name


@functools.lru_cache(maxsize=4096)
def english_name(kana: str, kind: str, name: str = "") -> str:
    """The English name of a local government from its name in kana and its kind (the
    values of municipalities.models.MunicipalityKind); its name in kanji tells where a word
    begins with a vowel (WORD_STARTS). いいづなまち, "town" → "Iizuna Town"; さっぽろしちゅうおうく,
    "ward" → "Chuo Ward, Sapporo"; ながのけん, "prefecture" → "Nagano Prefecture". A kind it
    does not know gives the romanised kana alone."""
    kana = _hiragana(kana.strip())
    if not kana:
        return ""
    if kind == "ward":
        return _ward(kana, name)
    if kind == "prefecture":
        if kana in WHOLE_NAMES:
            return WHOLE_NAMES[kana]
        for suffix, word in PREFECTURE_SUFFIXES:
            if kana.endswith(suffix) and len(kana) > len(suffix):
                return f"{romanised(kana[: -len(suffix)], name)} {word}"
        return romanised(kana, name)
    if kind not in SUFFIXES:
        return romanised(kana, name)
    suffixes, word = SUFFIXES[kind]
    return f"{romanised(_without(kana.replace(' ', ''), suffixes), name)} {word}"
