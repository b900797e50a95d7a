"""Reading job offers as people write them: pay, fees, places, contacts, roles and cues."""

from __future__ import annotations

import dataclasses
import math
from types import MappingProxyType

import phonenumbers
import pytest
from hypothesis import given
from hypothesis import strategies as st

from lindungi.screening import money
from lindungi.screening.offer_text import (
    DEFAULT_RATES_IDR,
    Cue,
    Money,
    OfferFacts,
    Place,
    analyse_offer,
)

SCAM_POST = (
    "🔥LOWKER ADMIN ONLINE KAMBOJA🔥 gaji 15jt/bln, tanpa pengalaman, tiket PP ditanggung, "
    "berangkat cepat! minat japri WA 0812-3456-7890"
)
LAWFUL_POST = (
    "Penempatan resmi PMI ke Taiwan melalui P3MI berizin Kemnaker, operator produksi pabrik "
    "elektronik, gaji NT$ 27.470/bulan, visa kerja, daftar via SISKOP2MI"
)

# text -> (kind, currency, amount, low, period, idr_month) of the one amount in it
MONEY = [
    ("gaji 15jt", ("salary", "IDR", 15e6, 15e6, "month", 15_000_000)),
    ("gaji 8-12 jt", ("salary", "IDR", 12e6, 8e6, "month", 12_000_000)),
    ("15 juta/bln", ("salary", "IDR", 15e6, 15e6, "month", 15_000_000)),
    ("Rp 17.000.000", ("salary", "IDR", 17e6, 17e6, "month", 17_000_000)),
    ("Rp. 17.000.000,-", ("salary", "IDR", 17e6, 17e6, "month", 17_000_000)),
    ("Rp17jt", ("salary", "IDR", 17e6, 17e6, "month", 17_000_000)),
    ("IDR 15,000,000", ("salary", "IDR", 15e6, 15e6, "month", 15_000_000)),
    ("$900", ("salary", "USD", 900, 900, "month", 14_400_000)),
    ("900$", ("salary", "USD", 900, 900, "month", 14_400_000)),
    ("USD 1.000", ("salary", "USD", 1000, 1000, "month", 16_000_000)),
    ("1.000 USD", ("salary", "USD", 1000, 1000, "month", 16_000_000)),
    ("1,200 usd/month", ("salary", "USD", 1200, 1200, "month", 19_200_000)),
    ("US$1500", ("salary", "USD", 1500, 1500, "month", 24_000_000)),
    ("RM 3.500", ("salary", "MYR", 3500, 3500, "month", 12_250_000)),
    ("THB 25,000", ("salary", "THB", 25000, 25000, "month", 11_250_000)),
    ("NT$ 27.470", ("salary", "TWD", 27470, 27470, "month", 13_735_000)),
    ("¥180.000", ("salary", "JPY", 180000, 180000, "month", 18_900_000)),
    ("₩2.100.000", ("salary", "KRW", 2.1e6, 2.1e6, "month", 24_150_000)),
    ("EUR 1.200", ("salary", "EUR", 1200, 1200, "month", 21_000_000)),
    ("S$ 2,000", ("salary", "SGD", 2000, 2000, "month", 24_000_000)),
    ("HK$ 5,000", ("salary", "HKD", 5000, 5000, "month", 10_250_000)),
    ("gaji 8000 yuan", ("salary", "CNY", 8000, 8000, "month", 17_600_000)),
    ("SAR 1.500", ("salary", "SAR", 1500, 1500, "month", 6_375_000)),
    ("AED 3,000", ("salary", "AED", 3000, 3000, "month", 13_050_000)),
    ("PHP 25,000", ("salary", "PHP", 25000, 25000, "month", 7_000_000)),
    ("£2,000", ("salary", "GBP", 2000, 2000, "month", 41_000_000)),
    ("salary 1,500 USDT per month", ("salary", "USDT", 1500, 1500, "month", 24_000_000)),
    ("5rb/jam", ("salary", "IDR", 5000, 5000, "hour", 1_040_000)),
    ("500k", ("salary", "IDR", 500_000, 500_000, "month", 500_000)),
    ("1,5 juta", ("salary", "IDR", 1.5e6, 1.5e6, "month", 1_500_000)),
    ("1.5jt", ("salary", "IDR", 1.5e6, 1.5e6, "month", 1_500_000)),
    ("gaji 15.000.000", ("salary", "IDR", 15e6, 15e6, "month", 15_000_000)),
    ("12-15 juta", ("salary", "IDR", 15e6, 12e6, "month", 15_000_000)),
    ("gaji 10 s/d 15 juta", ("salary", "IDR", 15e6, 10e6, "month", 15_000_000)),
    ("Rp 8.000.000 - Rp 12.000.000", ("salary", "IDR", 12e6, 8e6, "month", 12_000_000)),
    ("gaji $800 - $1,200 per month", ("salary", "USD", 1200, 800, "month", 19_200_000)),
    ("gaji 150rb/hari", ("salary", "IDR", 150_000, 150_000, "day", 3_900_000)),
    ("gaji harian 150rb", ("salary", "IDR", 150_000, 150_000, "day", 3_900_000)),
    ("upah 1.000.000 per minggu", ("salary", "IDR", 1e6, 1e6, "week", 4_333_333)),
    ("salary $24,000/year", ("salary", "USD", 24000, 24000, "year", 32_000_000)),
    ("$10/hr", ("salary", "USD", 10, 10, "hour", 33_280_000)),
    ("bonus $200", ("salary", "USD", 200, 200, "month", 3_200_000)),
    ("komisi 2jt", ("salary", "IDR", 2e6, 2e6, "month", 2_000_000)),
    ("biaya 5jt", ("fee", "IDR", 5e6, 5e6, "month", 5_000_000)),
    ("deposit $500", ("fee", "USD", 500, 500, "month", 8_000_000)),
    ("$500 deposit", ("fee", "USD", 500, 500, "month", 8_000_000)),
    ("DP 2,5jt", ("fee", "IDR", 2.5e6, 2.5e6, "month", 2_500_000)),
    ("denda 50jt jika resign", ("fee", "IDR", 50e6, 50e6, "month", 50_000_000)),
    ("ganti rugi Rp 20.000.000", ("fee", "IDR", 20e6, 20e6, "month", 20_000_000)),
    ("potong gaji 2jt untuk tiket", ("fee", "IDR", 2e6, 2e6, "month", 2_000_000)),
    ("hutang 30jt", ("fee", "IDR", 30e6, 30e6, "month", 30_000_000)),
    ("bayar tiket 7jt", ("fee", "IDR", 7e6, 7e6, "month", 7_000_000)),
    ("5jt untuk tiket", ("fee", "IDR", 5e6, 5e6, "month", 5_000_000)),
    ("target harian 5 member, gaji 12jt", ("salary", "IDR", 12e6, 12e6, "month", 12_000_000)),
    ("Rp 150.000,-/hari", ("salary", "IDR", 150_000, 150_000, "day", 3_900_000)),
]


@pytest.mark.parametrize(("text", "expected"), MONEY, ids=[t for t, _ in MONEY])
def test_money_is_normalised_to_rupiah_per_month(text: str, expected: tuple[object, ...]) -> None:
    facts = analyse_offer(text)
    (money,) = facts.salaries + facts.fees
    kind, currency, amount, low, period, idr_month = expected
    assert (money.kind, money.currency, money.period, money.idr_month) == (
        kind,
        currency,
        period,
        idr_month,
    )
    assert money.amount == pytest.approx(amount)
    assert money.low == pytest.approx(low)


NO_MONEY = [
    "gaji 15",  # bare small number: no currency, no multiplier
    "gaji 900",
    "gaji 2x lipat",
    "WA 0812-3456-7890",
    "kerja 12 jam, usia 18-35 tahun",
    "Rp 15",
    "berangkat 12-15 Mei",
    "tiket pesawat 7jt ditanggung",  # the price of a ticket is neither pay nor a fee asked
    "jam kerja 08.00-20.00",
    "paket tour Bangkok - Pattaya Rp 6.990.000/pax",
    "",
]


@pytest.mark.parametrize("text", NO_MONEY)
def test_numbers_that_are_no_money(text: str) -> None:
    facts = analyse_offer(text)
    assert facts.salaries == facts.fees == ()
    assert facts.salary_idr_month is None


@pytest.mark.parametrize(
    ("text", "spans"),
    [
        ("gaji 15jt", ["gaji 15jt"]),
        ("Kerja enak, $900 tiap bulan", ["$900 tiap bulan"]),
        ("GAJI 12-15 JUTA/BULAN", ["GAJI 12-15 JUTA/BULAN"]),
        ("gaji 15jt, dipotong 3jt untuk tiket", ["gaji 15jt", "dipotong 3jt"]),
        ("gaji 💰 8jt + bonus 2jt", ["gaji 8jt", "bonus 2jt"]),
    ],
)
def test_money_text_is_the_span_as_written(text: str, spans: list[str]) -> None:
    facts = analyse_offer(text)
    assert sorted(m.text for m in facts.salaries + facts.fees) == sorted(spans)


def test_highest_salary_wins_and_fees_stay_apart() -> None:
    facts = analyse_offer("Gaji 8jt + bonus 2jt, lembur $10/jam. Biaya admin 1,5jt, DP Rp 500.000")
    assert [m.text for m in facts.salaries] == ["Gaji 8jt", "bonus 2jt", "lembur $10/jam"]
    assert [m.idr_month for m in facts.fees] == [1_500_000, 500_000]
    assert facts.salary_idr_month == 33_280_000  # $10 an hour, 8 hours, 26 days


def test_rates_can_be_given_and_fall_back_to_the_defaults() -> None:
    assert analyse_offer("$900", rates={"USD": 15000}).salary_idr_month == 13_500_000
    assert analyse_offer("$900", rates={"XYZ": 1.0}).salary_idr_month == 14_400_000
    assert analyse_offer("$900", rates={"USD": math.nan}).salaries == ()


def test_a_currency_without_any_rate_is_left_out(monkeypatch: pytest.MonkeyPatch) -> None:
    no_baht = MappingProxyType({k: v for k, v in DEFAULT_RATES_IDR.items() if k != "THB"})
    monkeypatch.setattr(money, "DEFAULT_RATES_IDR", no_baht)
    facts = analyse_offer("gaji THB 25,000 atau Rp 8jt")
    assert [m.currency for m in facts.salaries] == ["IDR"]


def test_default_rates() -> None:
    assert dict(DEFAULT_RATES_IDR) == {
        "IDR": 1,
        "USD": 16000,
        "USDT": 16000,
        "EUR": 17500,
        "SGD": 12000,
        "MYR": 3500,
        "THB": 450,
        "TWD": 500,
        "HKD": 2050,
        "KRW": 11.5,
        "JPY": 105,
        "CNY": 2200,
        "PHP": 280,
        "SAR": 4250,
        "AED": 4350,
        "AUD": 10500,
        "GBP": 20500,
    }


# text -> [(name, country, compound_area)]
PLACES = [
    ("kerja di Sihanoukville", [("Sihanoukville", "KH", True)]),
    ("penempatan SHV", [("Sihanoukville", "KH", True)]),
    ("Kompong Som / Preah Sihanouk", [("Sihanoukville", "KH", True)]),
    (
        "Bavet, Poipet, Koh Kong",
        [("Bavet", "KH", True), ("Poipet", "KH", True), ("Koh Kong", "KH", True)],
    ),
    ("KK Park, Myawadi", [("KK Park", "MM", True), ("Myawaddy", "MM", True)]),
    ("Yatai New City", [("Shwe Kokko", "MM", True)]),
    ("kawasan segitiga emas", [("Golden Triangle", "LA", True)]),
    ("Kings Romans casino", [("Golden Triangle", "LA", True)]),
    ("Tachileik dan Mong La", [("Tachileik", "MM", True), ("Mong La", "MM", True)]),
    ("Phnom Penh", [("Phnom Penh", "KH", False)]),
    ("lowker Kamboja", [("Cambodia", "KH", False)]),
    ("Cambodia", [("Cambodia", "KH", False)]),
    ("Filipina", [("Philippines", "PH", False)]),
    ("Korea Selatan lalu korea lagi", [("South Korea", "KR", False)]),
    ("makanan thai", [("Thailand", "TH", False)]),
    ("Arab Saudi", [("Saudi Arabia", "SA", False)]),
    ("Uni Emirat Arab", [("United Arab Emirates", "AE", False)]),
    (
        "Jepang, Tiongkok, Hongkong",
        [("Japan", "JP", False), ("China", "CN", False), ("Hong Kong", "HK", False)],
    ),
    ("Clark Pampanga", [("Clark", "PH", False)]),
    ("Clark Kent", []),
    ("dari Jakarta ke Bangkok", [("Jakarta", "ID", False), ("Bangkok", "TH", False)]),
    ("kerja di luar negeri", []),
    ("CS bahasa Indonesia di Phnom Penh", [("Phnom Penh", "KH", False)]),
    ("kerja kilang di Johor atau KL", [("Johor", "MY", False), ("Kuala Lumpur", "MY", False)]),
    ("pabrik di Taichung", [("Taichung", "TW", False)]),
]


@pytest.mark.parametrize(("text", "expected"), PLACES, ids=[t for t, _ in PLACES])
def test_places(text: str, expected: list[tuple[str, str, bool]]) -> None:
    facts = analyse_offer(text)
    assert [(p.name, p.country, p.compound_area) for p in facts.places] == expected
    assert facts.countries == tuple(dict.fromkeys(c for _, c, _ in expected))


def test_place_text_is_as_written_and_countries_are_deduplicated() -> None:
    facts = analyse_offer("Sihanoukville, KAMBOJA (dekat Phnom Penh), O'Smach")
    assert [p.text for p in facts.places] == ["Sihanoukville", "KAMBOJA", "Phnom Penh", "O'Smach"]
    assert facts.countries == ("KH",)


CHANNELS = [
    ("minat japri", ("dm",)),
    ("DM aja kak", ("dm",)),
    ("cek inbox / PM", ("dm",)),
    ("interview jam 8 pm", ()),
    ("WA 0812", ("whatsapp",)),
    ("wa.me/6281234567890", ("whatsapp",)),
    ("join tele atau tg", ("telegram",)),
    ("t.me/lowker_ln", ("telegram",)),
    ("lihat fb, ig dan tiktok", ("facebook", "instagram", "tiktok")),
    ("add LINE ID kerja123 atau WeChat", ("line", "wechat")),
    ("DM atau WhatsApp, lalu Telegram", ("dm", "whatsapp", "telegram")),
    ("online shop", ()),
]


@pytest.mark.parametrize(("text", "expected"), CHANNELS, ids=[t for t, _ in CHANNELS])
def test_channels(text: str, expected: tuple[str, ...]) -> None:
    assert analyse_offer(text).channels == expected


PHONES = [
    ("WA 0812-3456-7890", ("+6281234567890",)),
    ("hubungi +855 12 345 678", ("+85512345678",)),
    ("wa.me/6281234567890", ("+6281234567890",)),
    ("(+62) 812 3456 7890 atau 0812-3456-7890", ("+6281234567890",)),
    ("+95 9 123 456 789", ("+959123456789",)),
    ("856 20 5512 3456", ("+8562055123456",)),
    (
        "+63 917 123 4567, +66 81 234 5678, +60 12-345 6789",
        ("+639171234567", "+66812345678", "+60123456789"),
    ),
    ("gaji Rp 17.000.000, NIK 3201234567890123", ()),
    ("gaji Rp 5jt - 0812 3456 7890", ("+6281234567890",)),
]


@pytest.mark.parametrize(("text", "expected"), PHONES, ids=[t for t, _ in PHONES])
def test_phones_in_e164(text: str, expected: tuple[str, ...]) -> None:
    assert analyse_offer(text).phones == expected


HANDLES = [
    ("hubungi @kerja_kamboja", ("@kerja_kamboja",)),
    ("t.me/lowker_ln", ("@lowker_ln",)),
    ("https://t.me/Lowker_LN dan @Admin_Rekrut", ("@lowker_ln", "@admin_rekrut")),
    ("email hr@ptmaju.co.id", ()),
    ("t.me/joinchat/AbCdEf", ()),
]


@pytest.mark.parametrize(("text", "expected"), HANDLES, ids=[t for t, _ in HANDLES])
def test_handles(text: str, expected: tuple[str, ...]) -> None:
    assert analyse_offer(text).handles == expected


ROLES = [
    ("operator produksi", ("factory_operator",)),
    ("dicari OPERATOR", ("operator_online",)),
    ("operator forklift", ("factory_operator",)),
    ("operator alat berat", ("construction",)),
    ("admin online", ("admin",)),
    ("admin chat", ("chat_agent",)),
    ("CS online", ("customer_service",)),
    ("program CSR", ()),
    ("operator CCTV", ()),
    ("kerja kilang", ("factory_operator",)),
    ("cuma nge-chat orang", ("chat_agent",)),
    ("biaya admin 500rb", ()),
    ("data entry / input data", ("data_entry",)),
    ("pengetik", ("typist",)),
    ("telemarketing", ("marketing_online",)),
    ("live host", ("game_host",)),
    ("penerjemah bahasa mandarin", ("translator",)),
    ("perawat lansia", ("caregiver",)),
    ("perawat rumah sakit", ("nurse",)),
    ("PRT / asisten rumah tangga", ("domestic_worker",)),
    ("koki restoran", ("hospitality",)),
    ("tukang las", ("construction",)),
    ("kebun sawit", ("plantation",)),
    ("ABK kapal ikan", ("fisheries",)),
    ("sopir truk", ("driver",)),
]


@pytest.mark.parametrize(("text", "expected"), ROLES, ids=[t for t, _ in ROLES])
def test_roles(text: str, expected: tuple[str, ...]) -> None:
    assert analyse_offer(text).roles == expected


# text -> (kind, the cue's text)
CUES = [
    ("berangkat cepat", ("urgency", "berangkat cepat")),
    ("URGENTTT!!!", ("urgency", "urgent")),
    ("slot terbatas", ("urgency", "slot terbatas")),
    ("gercep kak", ("urgency", "gercep")),
    ("bilang aja liburan", ("secrecy", "bilang aja liburan")),
    ("jangan bawa koper biar kelihatan turis", ("secrecy", "biar kelihatan turis")),
    ("jangan bilang mau kerja", ("secrecy", "jangan bilang mau kerja")),
    ("say you are a tourist", ("secrecy", "say you are a tourist")),
    ("pakai visa turis", ("tourist_visa_for_work", "visa turis")),
    ("cukup VOA", ("tourist_visa_for_work", "voa")),
    ("bebas visa", ("tourist_visa_for_work", "bebas visa")),
    ("gak perlu visa kerja", ("tourist_visa_for_work", "gak perlu visa kerja")),
    ("pakai visa ziarah/umroh", ("tourist_visa_for_work", "visa ziarah")),
    ("paspor ditahan perusahaan", ("passport_retention", "paspor ditahan perusahaan")),
    ("serahkan paspor ke agen", ("passport_retention", "serahkan paspor")),
    ("paspor nanti disimpen HRD", ("passport_retention", "paspor nanti disimpen hrd")),
    ("passport held by the company", ("passport_retention", "passport held")),
    ("denda jika kabur", ("penalty", "denda")),
    ("tidak boleh resign", ("penalty", "tidak boleh resign")),
    ("bayar kalau keluar", ("penalty", "bayar kalau keluar")),
    ("ada hutang", ("debt", "hutang")),
    ("potong gaji untuk tiket", ("debt", "potong gaji untuk tiket")),
    ("tiket dipotong dari gaji", ("debt", "dipotong dari gaji")),
    ("biaya 25jt bisa potong gaji", ("debt", "bisa potong gaji")),
    ("potongan agen 7 bulan", ("debt", "potongan agen 7 bulan")),
    ("tanpa pengalaman", ("no_experience", "tanpa pengalaman")),
    ("no exp", ("no_experience", "no exp")),
    ("lulusan SMP", ("no_experience", "lulusan smp")),
    ("cukup bisa baca tulis", ("no_experience", "bisa baca tulis")),
    ("tiket PP ditanggung", ("free_travel", "tiket pp ditanggung")),
    ("free tiket", ("free_travel", "free tiket")),
    ("tiket nanti diganti bos", ("free_travel", "tiket nanti diganti bos")),
    ("tiket + visa ditanggung", ("free_travel", "tiket visa ditanggung")),
    ("FREE flight", ("free_travel", "free flight")),
    ("tanpa biaya", ("no_fee", "tanpa biaya")),
    ("zero cost", ("no_fee", "zero cost")),
    ("kerja santai gaji besar", ("high_pay_easy", "kerja santai gaji besar")),
    ("gaji dollar", ("high_pay_easy", "gaji dollar")),
    ("cuan terus", ("high_pay_easy", "cuan")),
    ("dibayar USDT", ("crypto", "usdt")),
    ("trading binance", ("crypto", "trading")),
    ("judi online", ("gambling", "judi online")),
    ("slot online", ("gambling", "slot online")),
    ("game online cari player untuk chat", ("gambling", "game online")),
    ("cari korban", ("scam_work", "cari korban")),
    ("love scam", ("scam_work", "love scam")),
    ("chat dengan orang asing", ("scam_work", "chat dengan orang asing")),
    ("kerja 12 jam", ("long_hours", "kerja 12 jam")),
    ("14 jam/hari", ("long_hours", "14 jam/hari")),
    ("shift 12 jam", ("long_hours", "shift 12 jam")),
    ("kerja di luar negeri", ("overseas", "luar negeri")),
    ("loker LN", ("overseas", "ln")),
    ("usia 16", ("age_minor", "usia 16")),
    ("umur 15-17", ("age_minor", "umur 15-17")),
    ("minimal 16 tahun", ("age_minor", "minimal 16 tahun")),
    ("anak di bawah umur", ("age_minor", "anak di bawah umur")),
]


@pytest.mark.parametrize(("text", "cue"), CUES, ids=[t for t, _ in CUES])
def test_cues(text: str, cue: tuple[str, str]) -> None:
    assert Cue(*cue) in analyse_offer(text).cues


NOT_CUES = [
    # Board and lodging are ordinary; only a paid ticket is a free_travel cue.
    ("mess gratis, makan ditanggung", "free_travel"),
    ("slot terbatas", "gambling"),
    ("game online", "gambling"),  # a game with no players to chat to
    ("tanpa denda", "penalty"),
    ("paspor dipegang sendiri", "passport_retention"),
    ("bukan visa turis", "tourist_visa_for_work"),
    ("tiket PP", "free_travel"),
    ("usia 18-35 tahun", "age_minor"),
    ("minimal 2 tahun pengalaman", "age_minor"),
    ("CS online 24 jam", "long_hours"),
    ("8 hours a day", "long_hours"),
    ("akomodasi gratis, biaya sendiri", "no_fee"),  # no phrase across a comma
    ("kiln dan kolam", "overseas"),
    ("join @lowker_ln_cepat", "overseas"),  # a handle's name is no cue
    ("join @lowker_ln_cepat", "urgency"),
    ("tanpa potongan gaji", "debt"),
]


@pytest.mark.parametrize(("text", "kind"), NOT_CUES, ids=[f"{t} not {k}" for t, k in NOT_CUES])
def test_not_cues(text: str, kind: str) -> None:
    assert kind not in {c.kind for c in analyse_offer(text).cues}


def test_bare_pp_is_no_cue() -> None:
    assert analyse_offer("PP").cues == ()


LEGIT = [
    ("melalui P3MI", "licensed_p3mi"),
    ("PPTKIS resmi", "licensed_p3mi"),
    ("berizin resmi Kemnaker", "licensed_p3mi"),
    ("izin BP2MI", "licensed_p3mi"),
    ("SIP3MI no 123", "licensed_p3mi"),
    ("program G to G", "government_programme"),
    ("G-to-G Korea", "government_programme"),
    ("EPS-TOPIK", "government_programme"),
    ("IM Japan", "government_programme"),
    ("SSW tokutei ginou", "government_programme"),
    ("visa kerja", "work_visa"),
    ("work permit", "work_visa"),
    ("visa E-9", "work_visa"),
    ("ARC Taiwan", "work_visa"),
    ("calling visa", "work_visa"),
    ("daftar SISKOP2MI", "official_registration"),
    ("lapor disnaker", "official_registration"),
    ("pelatihan di BLK", "official_registration"),
    ("medical check up", "official_registration"),
    ("BPJS ketenagakerjaan", "official_registration"),
    ("perjanjian kerja", "contract"),
    ("kontrak kerja tertulis", "contract"),
]


@pytest.mark.parametrize(("text", "kind"), LEGIT, ids=[t for t, _ in LEGIT])
def test_legit(text: str, kind: str) -> None:
    assert kind in {c.kind for c in analyse_offer(text).legit}


@pytest.mark.parametrize(
    "text", ["lewat LPK kami (bukan P3MI)", "gak perlu visa kerja", "no work permit"]
)
def test_denials_are_no_legit_sign(text: str) -> None:
    assert {c.kind for c in analyse_offer(text).legit} <= {"official_registration"}


HOURS = [
    ("kerja 12 jam", 12),
    ("14 jam/hari", 14),
    ("shift 12 jam", 12),
    ("kerja 10-12 jam per hari", 12),
    ("jam kerja 08.00-20.00", 12),
    ("8 hours a day", 8),
    ("CS 24 jam", None),
    ("proses 24 jam", None),
    ("5rb/jam", None),
]


@pytest.mark.parametrize(("text", "hours"), HOURS, ids=[t for t, _ in HOURS])
def test_hours_per_day(text: str, hours: int | None) -> None:
    assert analyse_offer(text).hours_per_day == hours


def test_the_scam_post() -> None:
    facts = analyse_offer(SCAM_POST)
    assert facts.salaries == (
        Money("gaji 15jt/bln", "IDR", 15e6, 15e6, "month", 15_000_000, "salary"),
    )
    assert facts.fees == ()
    assert facts.salary_idr_month == 15_000_000
    assert facts.places == (Place("Cambodia", "KH", False, "KAMBOJA"),)
    assert facts.countries == ("KH",)
    assert facts.channels == ("dm", "whatsapp")
    assert facts.phones == ("+6281234567890",)
    assert facts.handles == ()
    assert facts.roles == ("admin",)
    assert facts.cues == (
        Cue("no_experience", "tanpa pengalaman"),
        Cue("free_travel", "tiket pp ditanggung"),
        Cue("urgency", "berangkat cepat"),
    )
    assert facts.legit == ()
    assert facts.hours_per_day is None


def test_the_lawful_post() -> None:
    facts = analyse_offer(LAWFUL_POST)
    assert [(m.currency, m.amount, m.idr_month) for m in facts.salaries] == [
        ("TWD", 27470, 13_735_000)
    ]
    assert facts.places == (Place("Taiwan", "TW", False, "Taiwan"),)
    assert facts.roles == ("factory_operator",)
    assert facts.cues == ()
    assert {c.kind for c in facts.legit} == {"licensed_p3mi", "work_visa", "official_registration"}


def test_an_english_post() -> None:
    facts = analyse_offer(
        "URGENT hiring customer service in Bavet, Cambodia. Salary $1,000-1,500/month, "
        "no experience needed, free ticket & accommodation, tourist visa, keep it secret. "
        "Contact @hr_bavet or +855 12 345 678"
    )
    (salary,) = facts.salaries
    assert (salary.low, salary.amount, salary.idr_month) == (1000, 1500, 24_000_000)
    assert [(p.name, p.compound_area) for p in facts.places] == [
        ("Bavet", True),
        ("Cambodia", False),
    ]
    assert facts.roles == ("customer_service",)
    assert {c.kind for c in facts.cues} == {
        "urgency",
        "no_experience",
        "free_travel",
        "tourist_visa_for_work",
        "secrecy",
    }
    assert facts.handles == ("@hr_bavet",)
    assert facts.phones == ("+85512345678",)


def test_a_post_with_fees_debt_and_long_hours() -> None:
    facts = analyse_offer(
        "Loker Myanmar (KK Park), gaji 20-25jt, biaya proses 15jt dipotong dari gaji, "
        "paspor dipegang bos, kerja 14 jam/hari, jangan bilang mau kerja"
    )
    assert facts.salary_idr_month == 25_000_000
    assert [m.idr_month for m in facts.fees] == [15_000_000]
    assert [p.name for p in facts.places] == ["Myanmar", "KK Park"]
    assert facts.countries == ("MM",)
    assert facts.hours_per_day == 14
    assert {c.kind for c in facts.cues} >= {
        "debt",
        "passport_retention",
        "long_hours",
        "secrecy",
    }


def test_fancy_letters_emoji_and_stretched_words() -> None:
    facts = analyse_offer("𝐋𝐎𝐖𝐊𝐄𝐑 𝐊𝐀𝐌𝐁𝐎𝐉𝐀 💰 gajiii 20jt 🔥 URGENTTT 5️⃣ slot")
    assert facts.places == (Place("Cambodia", "KH", False, "KAMBOJA"),)
    assert facts.salary_idr_month == 20_000_000
    assert Cue("urgency", "urgent") in facts.cues


def test_the_interface() -> None:
    assert [f.name for f in dataclasses.fields(OfferFacts)] == [
        "salaries",
        "fees",
        "salary_idr_month",
        "places",
        "countries",
        "channels",
        "phones",
        "handles",
        "roles",
        "cues",
        "legit",
        "hours_per_day",
    ]
    assert [f.name for f in dataclasses.fields(Money)] == [
        "text",
        "currency",
        "amount",
        "low",
        "period",
        "idr_month",
        "kind",
    ]
    assert [f.name for f in dataclasses.fields(Place)] == [
        "name",
        "country",
        "compound_area",
        "text",
    ]
    assert [f.name for f in dataclasses.fields(Cue)] == ["kind", "text"]
    with pytest.raises(dataclasses.FrozenInstanceError):
        analyse_offer("").hours_per_day = 3  # type: ignore[misc]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "🔥🔥🔥",
        "\x00\xff\ud800 gaji 15jt",
        "$" + "9" * 400,
        "gaji 1" + "0" * 500 + " jt",
        "@" * 50,
    ],
    ids=["empty", "emoji", "binary", "huge-number", "huger-number", "at-signs"],
)
def test_odd_input_does_not_raise(text: str) -> None:
    assert isinstance(analyse_offer(text), OfferFacts)


TOKENS = [
    "gaji", "biaya", "15jt", "Rp", "17.000.000", "$900", "-", "/bln", "jam", "12", "kerja",
    "0812-3456-7890", "+855", "@x_y", "t.me/", "Kamboja", "SHV", "tiket", "PP", "ditanggung",
    "usia", "16", "🔥", "\n", ",", "japri", "WA", "operator", "produksi", "1,5", "juta", "k",
]  # fmt: skip


@given(st.text())
def test_any_text_is_read_without_error_and_the_same_way_twice(text: str) -> None:
    first = analyse_offer(text)
    assert first == analyse_offer(text)
    assert first.salary_idr_month == max((m.idr_month for m in first.salaries), default=None)


@given(st.lists(st.sampled_from(TOKENS), max_size=40).map(" ".join))
def test_offer_like_text_is_read_without_error(text: str) -> None:
    facts = analyse_offer(text)
    assert all(m.kind == "salary" for m in facts.salaries)
    assert all(m.kind == "fee" for m in facts.fees)
    assert all(m.low <= m.amount for m in facts.salaries + facts.fees)
    assert all(p.startswith("+") for p in facts.phones)


@given(st.from_regex(r"08[0-9]{8,11}", fullmatch=True))
def test_indonesian_mobiles_match_phonenumbers(number: str) -> None:
    expected = phonenumbers.format_number(
        phonenumbers.parse(number, "ID"), phonenumbers.PhoneNumberFormat.E164
    )
    assert analyse_offer(f"WA {number}").phones == (expected,)
