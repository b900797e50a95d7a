"""What the public verification says, in Bahasa Indonesia and English. Data, not logic."""

from __future__ import annotations

VERDICTS: dict[str, tuple[str, str]] = {
    "licensed": (
        "Perusahaan ini terdaftar dan izinnya (SIP3MI) berlaku. Tetap waspada: perekrut resmi "
        "tidak memungut biaya penempatan dan tidak memberangkatkan pekerja dengan visa turis.",
        "This company is registered and its licence (SIP3MI) is in force. Stay careful: a "
        "licensed recruiter charges no placement fee and never sends workers on a tourist visa.",
    ),
    "suspended": (
        "Izin perusahaan ini DIBEKUKAN. Perusahaan ini tidak boleh merekrut atau memberangkatkan "
        "pekerja saat ini. Jangan membayar atau menyerahkan dokumen.",
        "This company's licence is SUSPENDED. It may not recruit or send workers now. Do not "
        "pay it or hand over documents.",
    ),
    "revoked": (
        "Izin perusahaan ini DICABUT. Tawaran kerja dari perusahaan ini tidak sah. Jangan "
        "membayar atau menyerahkan dokumen, dan laporkan tawaran ini.",
        "This company's licence has been REVOKED. Job offers from it are not lawful. Do not pay "
        "it or hand over documents, and report the offer.",
    ),
    "expired": (
        "Izin perusahaan ini SUDAH HABIS MASA BERLAKUNYA. Perusahaan ini tidak boleh merekrut "
        "sampai izinnya diperpanjang.",
        "This company's licence has EXPIRED. It may not recruit until the licence is renewed.",
    ),
    "unknown": (
        "Kami TIDAK menemukan perekrut ini di daftar resmi. Perekrutan oleh pihak tanpa izin "
        "adalah tanda bahaya perdagangan orang. Jangan berangkat sebelum memeriksa ke BP2MI.",
        "We did NOT find this recruiter in the official register. Recruitment by an unlicensed "
        "party is a warning sign of trafficking. Do not travel before checking with BP2MI.",
    ),
}

FRONT_WARNING = (
    "Perhatian: nomor telepon, alamat, pengurus atau rekening perekrut ini juga dipakai oleh "
    "perekrut yang izinnya dicabut atau dibekukan.",
    "Warning: this recruiter's phone, address, management or account is shared with a "
    "recruiter whose licence was revoked or suspended.",
)

#: Shown instead of an individual agent's name: a person's name is personal data.
INDIVIDUAL_AGENT = "(agen perorangan tanpa izin / unlicensed individual agent)"
