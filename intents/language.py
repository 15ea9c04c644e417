"""Per-message language guess (Bahasa Indonesia or English) from function words.

Messages are short and code-mixed ("how to klaim jkp"), so we count words that only one of the two
languages uses and let Indonesian win ties: most users write Indonesian.
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = [
    "COURTESY_WORDS",
    "ENGLISH_WORDS",
    "FILLER_WORDS",
    "INDONESIAN_WORDS",
    "clearly_other",
    "detect_language",
]

ENGLISH_WORDS = frozenset(
    """
    a an the is are was were be been am do does did doing done have has had having i im me my mine we our
    you your yours he she it its they them their this that these those what whats which who whom whose
    when where why how hows can could would should will shall may might must not no yes please pls plz
    thanks thank thx ty hello hi hey morning afternoon evening night bye goodbye want wanna need needs
    get got getting give given take find looking look search for from of to into onto with without about
    and or but if then than so because after before while since until during there here any some many
    much more most less long often time money pay paid paying job jobs work working worked laid fired
    quit resign resigned apply applied applying application help speak talk person human english
    language indonesian still already yet just only also too very really again ok okay sure know
    anyone someone somebody anything something nothing who cannot cant dont doesnt didnt isnt wont
    im ive id youre get eligible entitled benefit benefits claim claims claiming rejected status amount
    my company employer contract late deadline documents document account app training course vacancy
    vacancies abroad overseas interview scam fake office number call contact hurt kill die life myself
    """.split()
)

INDONESIAN_WORDS = frozenset(
    """
    apa apakah bagaimana gimana gmn kenapa mengapa kapan dimana mana siapa berapa brp yang yg dan atau
    tapi tetapi karena krn kalau kalo klo jika bila untuk utk buat dengan dgn dari ke di pada oleh saya
    sy aku gw gue kami kita anda kamu kau dia mereka ini itu sudah udah udh sdh belum blm tidak tdk
    gak ga gk nggak enggak bisa bs dapat dapet dpt mau ingin pengen ada adalah jadi juga lagi masih
    harus perlu boleh tolong mohon minta terima kasih makasih mksh selamat pagi siang sore malam halo
    hai kerja bekerja pekerjaan perusahaan kantor gaji upah uang bulan tahun hari minggu cara caranya
    daftar mendaftar klaim cair cairkan dana syarat berkas lowongan loker pelatihan pesangon dipecat
    kena habis kontrak setelah sebelum sampai sejak lama baru lalu nanti sekarang bagaimanakah dong
    sih deh nih kok ya yah kak min gan bang pak bu mas mbak aja saja banget bgt sangat lebih kurang
    siap sip oke mantap baik umur usia infonya
    """.split()
)

# Words that carry almost no meaning for intent matching; the matcher gives them a small weight.
FILLER_WORDS = frozenset(
    """
    a an the is are was were be been being am do does did doing i me my mine we our us you your it its
    this that these those to of for and or so just please pls plz hi hey ok okay yes no not any some
    what which who whom whose when where why how if then than there here after before about into onto
    with without from by at on in out up as can could would should will shall may might must get got
    gets getting take takes them they their he she his her him still already yet again also too very
    really only much many more most less go goes going went gone anyone someone anything something everything anymore ever
    im ive dont doesnt didnt cant cannot isnt arent wasnt wont its theres
    yang dan atau di ke dari pada ini itu saya aku kami kita anda kamu dia mereka ya yah dong sih deh
    nih kok lah kah pun aja saja juga mohon tolong kak min gan bang pak bu mas mbak admin bot nya
    apakah apa adalah ada sudah belum tidak bisa dapat mau ingin sih kan dah deh loh lho tuh gitu
    gini begitu begini sama dengan untuk buat karena kalau jadi terus lalu nah oh eh wah
    but each every let lets come comes came coming actually exactly under over seem seems even though
    although whether own same other another such both either now well able around maybe perhaps
    probably kind sort thing things way stuff lot lots bit little guys hasnt havent wasnt werent
    wouldnt couldnt shouldnt youre theyre weve ill know knows think guess wonder tell say said
    sedang sejak mengenai terhadap secara sekali kira jika bila apabila namun tetapi
    tapi padahal walaupun meskipun yaitu yakni tersebut para pula hanya cuma doang sangat amat
    banget bgt kakak ka om mba wkwk wkwkwk hehe haha bro sis
    teh mah atuh euy yo tho toh je ae sok se seh rek ges gaes
    literally basically which prefer kayak kaya sorta kinda honestly btw anyway tho
    """.split()
)

# Courtesy: greetings, thanks, honorifics and ask-framing ("Selamat siang Bapak/Ibu, mohon informasi",
# "punten", "terima kasih sebelumnya"). Alone they are the message ("halo", "makasih"); next to a
# question they are only politeness, and the matcher then weighs them like filler words.
COURTESY_WORDS = frozenset(
    """
    halo hai hello hallo selamat pagi siang sore malam petang punten permisi assalamualaikum wassalam
    waalaikumsalam wr wb warahmatullahi wabarakatuh salam sejahtera hormat yth kepada bapak ibu
    saudara saudari terima kasih sebelumnya atas perhatian banyak maaf numpang tanya bertanya pandu
    menanyakan tanyakan nanya sugeng wilujeng enjing sonten rahayu sampurasun
    dear sir madam morning afternoon evening thanks thank regards greetings
    """.split()
)


def detect_language(words: Iterable[str], *, default: str = "id") -> str:
    """'en' when English function words outnumber Indonesian ones, else ``default``."""
    english = indonesian = 0
    for word in words:
        english += word in ENGLISH_WORDS
        indonesian += word in INDONESIAN_WORDS
    if english > indonesian:
        return "en"
    if indonesian > english:
        return "id"
    return default


CLEAR_WORDS = 2  # function words of a language that make a message clearly written in it


def clearly_other(words: Iterable[str], lang: str) -> bool:
    """True when ``words`` are clearly in ``lang``: at least two of its function words and more than of
    the other language. "ok siap" or "umur 30an" (one English-looking word) is not clearly English."""
    english = indonesian = 0
    for word in words:
        english += word in ENGLISH_WORDS
        indonesian += word in INDONESIAN_WORDS
    mine, other = (english, indonesian) if lang == "en" else (indonesian, english)
    return mine >= CLEAR_WORDS and mine > other
