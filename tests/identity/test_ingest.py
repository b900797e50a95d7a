"""Reading agency extracts (CSV, Parquet) into checked person records, row by row."""

from __future__ import annotations

import datetime as dt
import re
import tempfile
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given
from hypothesis import strategies as st

from lindungi.identity.ingest import (
    FIELDS,
    IngestError,
    SourceFileError,
    SourceRecord,
    parse_mapping,
    read_rows,
    read_source,
)

HEADER = "record_id,full_name,birth_date,sex,national_id,passport_no,phone,city,seen_at,outcome"
GOOD_1 = "A1,Siti Aminah,1990-05-01,F,3201014105900001,C1234567,0812345678,Bandung,,"
GOOD_2 = "A2,Budi Santoso,02/03/1985,L,,,,,2024-06-01,Departed"


def write(tmp_path: Path, text: str, name: str = "bnp2mi.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return path


def ids(records: list[SourceRecord]) -> list[str]:
    return [r.record_id for r in records]


def test_a_valid_csv_row_becomes_a_record_with_every_field(tmp_path: Path) -> None:
    path = write(tmp_path, f"{HEADER}\n{GOOD_1}\n{GOOD_2}\n")
    result = read_source(path, source="bnp2mi")
    assert result.errors == []
    assert result.records == [
        SourceRecord(
            source="bnp2mi",
            record_id="A1",
            line=2,
            full_name="Siti Aminah",
            birth_date=dt.date(1990, 5, 1),
            sex="F",
            national_id="3201014105900001",
            passport_no="C1234567",
            phone="0812345678",
            address=None,
            city="Bandung",
            postcode=None,
            seen_at=None,
            outcome=None,
        ),
        SourceRecord(
            source="bnp2mi",
            record_id="A2",
            line=3,
            full_name="Budi Santoso",
            birth_date=dt.date(1985, 3, 2),  # day first
            sex="M",
            national_id=None,
            passport_no=None,
            phone=None,
            address=None,
            city=None,
            postcode=None,
            seen_at=dt.date(2024, 6, 1),
            outcome="departed",
        ),
    ]


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        (",Siti,1990-05-01,F", "record_id", "is empty; a record_id is required"),
        ("   ,Siti,1990-05-01,F", "record_id", "is empty; a record_id is required"),
        (
            "B1,Siti,1990-13-01,F",
            "birth_date",
            "'1990-13-01' is not a real date (month must be in 1..12)",
        ),
        (
            "B1,Siti,31/02/1990,F",
            "birth_date",
            "'31/02/1990' is not a real date (day is out of range for month)",
        ),
        (
            "B1,Siti,01/02/90,F",
            "birth_date",
            "'01/02/90' has a two-digit year; write the year with four digits",
        ),
        (
            "B1,Siti,1 Mei 1990,F",
            "birth_date",
            "'1 Mei 1990' is not a date "
            "(YYYY-MM-DD, DD/MM/YYYY, DD-MM-YYYY, DD.MM.YYYY or YYYYMMDD)",
        ),
        (
            "B1,Siti,,F,,,,,kemarin",
            "seen_at",
            "'kemarin' is not a date (YYYY-MM-DD, DD/MM/YYYY, DD-MM-YYYY, DD.MM.YYYY or YYYYMMDD)",
        ),
        (
            "B1,Siti,,X",
            "sex",
            "'X' is not a sex (M/F, L/P, laki-laki/perempuan, pria/wanita, male/female)",
        ),
        ("B1,Siti,,F,,,,,,,extra", "", "has 11 fields, the header has 10"),
    ],
)
def test_a_bad_row_is_refused_naming_line_and_column_and_the_rest_is_read(
    tmp_path: Path, row: str, column: str, message: str
) -> None:
    path = write(tmp_path, f"{HEADER}\n{GOOD_1}\n{row}\n{GOOD_2}\n")
    result = read_source(path, source="bnp2mi")
    assert result.errors == [IngestError(str(path), 3, column, message)]
    assert [(r.record_id, r.line) for r in result.records] == [("A1", 2), ("A2", 4)]


def test_every_problem_of_a_row_is_reported(tmp_path: Path) -> None:
    path = write(tmp_path, f"{HEADER}\n,Siti,90-05-01,perempuan?\n{GOOD_2}\n")
    result = read_source(path, source="s")
    assert [(e.line, e.column) for e in result.errors] == [
        (2, "record_id"),
        (2, "birth_date"),
        (2, "sex"),
    ]
    assert ids(result.records) == ["A2"]


def test_a_repeated_record_id_is_refused_on_the_later_line_naming_the_earlier(
    tmp_path: Path,
) -> None:
    path = write(tmp_path, f"{HEADER}\n{GOOD_1}\n{GOOD_2}\nA1,Siti A.,1990-05-01,F\n")
    result = read_source(path, source="s")
    assert result.errors == [IngestError(str(path), 4, "record_id", "'A1' repeats line 2")]
    assert [(r.record_id, r.full_name) for r in result.records] == [
        ("A1", "Siti Aminah"),
        ("A2", "Budi Santoso"),
    ]


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("1990-05-01", dt.date(1990, 5, 1)),
        ("1990-5-1", dt.date(1990, 5, 1)),
        ("01/05/1990", dt.date(1990, 5, 1)),  # 1 May, not 5 January
        ("1/5/1990", dt.date(1990, 5, 1)),
        ("01-05-1990", dt.date(1990, 5, 1)),
        ("01.05.1990", dt.date(1990, 5, 1)),
        ("19900501", dt.date(1990, 5, 1)),
        ("1990-05-01 00:00:00", dt.date(1990, 5, 1)),  # Excel writes a time
        ("2024-06-01T23:15:00+07:00", dt.date(2024, 6, 1)),
        ("  13/12/2001 ", dt.date(2001, 12, 13)),
    ],
)
def test_date_formats_agencies_write(tmp_path: Path, written: str, read: dt.date) -> None:
    path = write(tmp_path, f"record_id,birth_date,seen_at\nX,{written},{written}\n")
    (record,) = read_source(path, source="s").records
    assert (record.birth_date, record.seen_at) == (read, read)


@given(st.dates(min_value=dt.date(1000, 1, 1)))
def test_any_date_reads_back_in_every_format(day: dt.date) -> None:
    formats = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y%m%d")
    rows = "".join(f"{i},{day.strftime(f)}\n" for i, f in enumerate(formats))
    with tempfile.TemporaryDirectory() as folder:
        path = write(Path(folder), "record_id,birth_date\n" + rows)
        result = read_source(path, source="s")
    assert result.errors == []
    assert [r.birth_date for r in result.records] == [day] * len(formats)


@pytest.mark.parametrize(
    ("written", "sex"),
    [
        ("M", "M"),
        ("l", "M"),
        ("Laki-Laki", "M"),
        ("PRIA", "M"),
        ("male", "M"),
        ("F", "F"),
        ("p", "F"),
        ("Perempuan", "F"),
        ("wanita", "F"),
        ("Female", "F"),
        ("", None),
    ],
)
def test_sex_as_written(tmp_path: Path, written: str, sex: str | None) -> None:
    path = write(tmp_path, f"record_id,sex\nX,{written}\n")
    assert [r.sex for r in read_source(path, source="s").records] == [sex]


def test_given_and_family_names_are_joined_when_there_is_no_full_name(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "record_id,given_name,family_name,full_name\n"
        "1,Siti,Aminah,\n2,Sukarno,,\n3,Budi,Santoso,Budi S.\n4,,,\n",
    )
    records = read_source(path, source="s").records
    assert [r.full_name for r in records] == ["Siti Aminah", "Sukarno", "Budi S.", None]


@pytest.mark.parametrize("delimiter", [";", "\t", "|"])
def test_the_delimiter_is_taken_from_the_header(tmp_path: Path, delimiter: str) -> None:
    text = "record_id;full_name;address\n1;Siti Aminah;Jl. Merdeka 1, Bandung\n"
    path = write(tmp_path, text.replace(";", delimiter))
    (record,) = read_source(path, source="s").records
    assert (record.full_name, record.address) == ("Siti Aminah", "Jl. Merdeka 1, Bandung")


def test_an_indonesian_excel_export_with_bom_semicolons_and_a_mapping(tmp_path: Path) -> None:
    path = tmp_path / "imigrasi.csv"
    path.write_bytes(
        b"\xef\xbb\xbfNO_PASPOR;NAMA;TGL_LAHIR;JK;Record_ID ;KETERANGAN\r\n"
        b"C1234567;SITI AMINAH;01/05/1990;P;IMG-1;ditolak\r\n"
        b";;;;;\r\n"
        b"\r\n"
        b"C7654321;BUDI;02.03.1985;L;IMG-2;\r\n"
    )
    mapping = {"NO_PASPOR": "passport_no", "NAMA": "full_name", "TGL_LAHIR": "birth_date"}
    result = read_source(path, source="imigrasi", mapping={**mapping, "jk": "sex"})
    assert result.errors == []
    assert [
        (r.line, r.record_id, r.passport_no, r.full_name, r.birth_date, r.sex)
        for r in result.records
    ] == [
        (2, "IMG-1", "C1234567", "SITI AMINAH", dt.date(1990, 5, 1), "F"),
        (5, "IMG-2", "C7654321", "BUDI", dt.date(1985, 3, 2), "M"),
    ]


def test_errors_name_the_column_as_written_in_the_file(tmp_path: Path) -> None:
    path = write(tmp_path, "ID;TGL_LAHIR\nX1;31-31-1990\n;\u00a01990-01-01\n")
    result = read_source(path, source="s", mapping={"ID": "record_id", "TGL_LAHIR": "birth_date"})
    assert [str(e) for e in result.errors] == [
        f"{path}:2: TGL_LAHIR: '31-31-1990' is not a real date (month must be in 1..12)",
        f"{path}:3: ID: is empty; a record_id is required",
    ]


def test_the_mapping_wins_over_a_column_already_named_as_the_field(tmp_path: Path) -> None:
    path = write(tmp_path, "record_id,full_name,NAMA_LENGKAP\n1,S. Aminah,Siti Aminah\n")
    (record,) = read_source(path, source="s", mapping={"NAMA_LENGKAP": "full_name"}).records
    assert record.full_name == "Siti Aminah"


@pytest.mark.parametrize(
    ("header", "mapping", "message"),
    [
        (
            "ID,NAMA",
            {"NO_PASPOR": "passport_no"},
            "mapped column 'NO_PASPOR' is not in the file: ID, NAMA",
        ),
        ("ID,NAMA", {}, "no record_id column (ID, NAMA); map one to record_id"),
        (
            "ID,NAMA,NAMA2",
            {"ID": "record_id", "NAMA": "full_name", "NAMA2": "full_name"},
            "columns 'NAMA' and 'NAMA2' are both mapped to full_name",
        ),
        ("record_id,phone,Phone", {}, "column 'phone' appears as 'phone', 'Phone'"),
    ],
)
def test_a_header_that_cannot_give_records_refuses_the_file(
    tmp_path: Path, header: str, mapping: dict[str, str], message: str
) -> None:
    path = write(tmp_path, f"{header}\n1,2,3\n")
    with pytest.raises(SourceFileError) as raised:
        read_source(path, source="s", mapping=mapping)
    assert str(raised.value) == f"{path}: {message}"


def test_parse_mapping() -> None:
    assert parse_mapping(["NAMA=full_name", " TGL LAHIR = Birth_Date", "A=B=sex"]) == {
        "NAMA": "full_name",
        "TGL LAHIR": "birth_date",
        "A=B": "sex",
    }
    assert FIELDS == (
        "record_id", "full_name", "given_name", "family_name", "birth_date", "sex",
        "national_id", "passport_no", "phone", "address", "city", "postcode", "seen_at", "outcome",
    )  # fmt: skip


@pytest.mark.parametrize(
    ("items", "message"),
    [
        (["NAMA=nama"], "unknown field 'nama' in 'NAMA=nama'; fields: record_id, full_name,"),
        (["NAMA"], "'NAMA' is not FILE_COLUMN=field"),
        (["=full_name"], "'=full_name' is not FILE_COLUMN=field"),
        (["NAMA=full_name", "NAMA=given_name"], "column 'NAMA' is mapped twice"),
    ],
)
def test_parse_mapping_refuses(items: list[str], message: str) -> None:
    with pytest.raises(ValueError, match="^" + re.escape(message)):
        parse_mapping(items)


def test_an_unknown_field_in_a_mapping_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, f"{HEADER}\n{GOOD_1}\n")
    with pytest.raises(ValueError, match=r"^unknown field 'paspor' in the mapping; fields: "):
        read_source(path, source="s", mapping={"passport_no": "paspor"})


def test_a_latin1_byte_in_a_utf8_file_costs_that_line_only(tmp_path: Path) -> None:
    path = tmp_path / "dukcapil.csv"
    path.write_bytes(
        b"record_id,full_name,city\n"
        b"1,Siti Aminah,Bandung\n"
        b"2,Jos\xe9 Ramos,Dili\n"
        b"3,Budi Santoso,Surabaya\n"
    )
    result = read_source(path, source="dukcapil")
    assert result.errors == [IngestError(str(path), 3, "", "byte 6 (0xE9) is not valid utf-8")]
    assert str(result.errors[0]) == f"{path}:3: byte 6 (0xE9) is not valid utf-8"
    assert [(r.record_id, r.line) for r in result.records] == [("1", 2), ("3", 4)]
    latin = read_source(path, source="dukcapil", encoding="latin-1")
    assert latin.errors == []
    assert [r.full_name for r in latin.records] == ["Siti Aminah", "José Ramos", "Budi Santoso"]


def test_quoted_newlines_keep_physical_line_numbers_and_bad_bytes_skip_one_row(
    tmp_path: Path,
) -> None:
    path = tmp_path / "bp2mi.csv"
    path.write_bytes(
        b"record_id,address,birth_date\n"
        b'1,"Jl. Merdeka 1\nRT 02/RW 03\nBandung",1990-05-01\n'
        b'2,"Gg. Mawar\nDesa K\xe9bon",1990-05-02\n'
        b'3,"Dusun Krajan",bad\n'
        b'4,"Jl. Sudirman ""Blok A""",1990-05-04\n'
    )
    result = read_source(path, source="s")
    assert [str(e) for e in result.errors] == [
        f"{path}:6: byte 7 (0xE9) is not valid utf-8",
        f"{path}:7: birth_date: 'bad' is not a date "
        "(YYYY-MM-DD, DD/MM/YYYY, DD-MM-YYYY, DD.MM.YYYY or YYYYMMDD)",
    ]
    assert [(r.record_id, r.line, r.address) for r in result.records] == [
        ("1", 2, "Jl. Merdeka 1\nRT 02/RW 03\nBandung"),
        ("4", 8, 'Jl. Sudirman "Blok A"'),
    ]


def test_an_unclosed_quote_is_reported_with_the_lines_it_swallowed(tmp_path: Path) -> None:
    rows = "".join(f"{i},Nama {i}\n" for i in range(2, 20_000))
    path = write(tmp_path, f'record_id,full_name\n1,"Siti\n{rows}')
    result = read_source(path, source="s")
    assert [str(e) for e in result.errors] == [
        f"{path}:2: is not CSV (field larger than field limit (131072)); lines 2-8888 skipped"
    ]
    assert (result.records[0].line, result.records[0].record_id) == (8889, "8888")
    assert len(result.records) == 19_999 - 8_887


def test_a_carriage_return_inside_an_unquoted_field_costs_that_row(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_bytes(b"record_id,full_name\n1,Si\rti\n2,Budi\n")
    result = read_source(path, source="s")
    assert [str(e) for e in result.errors] == [
        f"{path}:2: is not CSV (new-line character seen in unquoted field); row skipped"
    ]
    assert [(r.record_id, r.line) for r in result.records] == [("2", 3)]


@pytest.mark.parametrize(
    ("encoding", "message"),
    [
        ("klingon", "unknown encoding 'klingon'"),
        ("utf-16", "encoding 'utf-16' is not supported; use UTF-8"),
    ],
)
def test_an_encoding_that_cannot_be_read_line_by_line_is_refused(
    tmp_path: Path, encoding: str, message: str
) -> None:
    path = write(tmp_path, f"{HEADER}\n{GOOD_1}\n")
    with pytest.raises(SourceFileError) as raised:
        read_source(path, source="s", encoding=encoding)
    assert str(raised.value) == f"{path}: {message}"


def test_a_header_in_another_encoding_refuses_the_file(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_bytes(b"record_id,kecamat\xe1n\n1,a\n")
    with pytest.raises(SourceFileError) as raised:
        read_source(path, source="s")
    assert str(raised.value) == (
        f"{path}:1: byte 18 (0xE1) is not valid utf-8 (is the file in another encoding?)"
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "is empty"),
        (b"\n \r\n", "is empty"),
        (b"\xef\xbb\xbf", "is empty"),
        (HEADER.encode() + b"\n", "is empty (a header but no records)"),
        (HEADER.encode() + b"\n\n,,,\n", "is empty (a header but no records)"),
        (b"\nrecord_id\n1\n", ":1: the first line is blank; it must be the header"),
        (b"\xff\xferecord_id", " is UTF-16 (it starts with a UTF-16 BOM); save as UTF-8"),
    ],
)
def test_an_empty_file_is_refused(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "empty.csv"
    path.write_bytes(content)
    with pytest.raises(SourceFileError) as raised:
        read_source(path, source="s")
    assert str(raised.value) == f"{path}{' ' if message[0].isalpha() else ''}{message}"


def test_files_that_cannot_be_read(tmp_path: Path) -> None:
    missing = tmp_path / "missing.csv"
    with pytest.raises(SourceFileError, match=r"missing\.csv does not exist$"):
        read_source(missing, source="s")
    sheet = write(tmp_path, "x", name="data.xlsx")
    with pytest.raises(SourceFileError) as raised:
        read_source(sheet, source="s")
    assert str(raised.value) == (
        f"{sheet}: unknown format '.xlsx'; expected .csv or .parquet (save the sheet as CSV)"
    )
    broken = write(tmp_path, "record_id\n1\n", name="broken.parquet")
    with pytest.raises(SourceFileError) as raised:
        read_source(broken, source="s")
    assert str(raised.value).startswith(f"{broken} is not a Parquet file pyarrow can read: ")


def test_error_text() -> None:
    assert str(IngestError("a.csv", 3, "JK", "'X' is not a sex")) == "a.csv:3: JK: 'X' is not a sex"
    assert str(IngestError("a.csv", 3, "", "has 3 fields")) == "a.csv:3: has 3 fields"
    assert str(IngestError("a.csv", 0, "", "is empty")) == "a.csv: is empty"


def test_parquet_round_trip_with_typed_columns(tmp_path: Path) -> None:
    table = pa.table(
        {
            "ID": pa.array([101, 102, 103, 101], pa.int64()),
            "nama": ["Siti Aminah", "Budi", None, "Siti"],
            "birth_date": pa.array(
                [dt.date(1990, 5, 1), None, dt.date(1991, 1, 1), None], pa.date32()
            ),
            "sex": ["P", "L", "?", None],
            "phone": pa.array([6281234567890.0, None, None, None], pa.float64()),
            "seen_at": pa.array(
                [dt.datetime(2024, 6, 1, 8, 30), None, None, None], pa.timestamp("s")
            ),
            "postcode": pa.array([40111, None, None, None], pa.int32()),
            "ignored": [b"x", b"y", b"z", b"w"],
        }
    )
    path = tmp_path / "imigrasi.parquet"
    pq.write_table(table, path)
    result = read_source(path, source="imigrasi", mapping={"ID": "record_id", "nama": "full_name"})
    assert result.records == [
        SourceRecord(
            source="imigrasi",
            record_id="101",
            line=2,
            full_name="Siti Aminah",
            birth_date=dt.date(1990, 5, 1),
            sex="F",
            national_id=None,
            passport_no=None,
            phone="6281234567890",
            address=None,
            city=None,
            postcode="40111",
            seen_at=dt.date(2024, 6, 1),
            outcome=None,
        ),
        SourceRecord(
            source="imigrasi",
            record_id="102",
            line=3,
            full_name="Budi",
            birth_date=None,
            sex="M",
            national_id=None,
            passport_no=None,
            phone=None,
            address=None,
            city=None,
            postcode=None,
            seen_at=None,
            outcome=None,
        ),
    ]
    assert [str(e) for e in result.errors] == [
        f"{path}:4: sex: '?' is not a sex (M/F, L/P, laki-laki/perempuan, pria/wanita, male/female)",
        f"{path}:5: ID: '101' repeats line 2",
    ]


def test_parquet_string_dates_are_parsed_and_checked(tmp_path: Path) -> None:
    path = tmp_path / "x.pq"
    pq.write_table(
        pa.table({"record_id": ["a", "b"], "birth_date": ["01/05/1990", "5/1/90"]}), path
    )
    result = read_source(path, source="s")
    assert [r.birth_date for r in result.records] == [dt.date(1990, 5, 1)]
    assert result.errors == [
        IngestError(
            str(path),
            3,
            "birth_date",
            "'5/1/90' has a two-digit year; write the year with four digits",
        )
    ]


def test_an_empty_parquet_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "x.parquet"
    pq.write_table(pa.table({"record_id": pa.array([], pa.string())}), path)
    with pytest.raises(SourceFileError) as raised:
        read_source(path, source="s")
    assert str(raised.value) == f"{path} is empty (a header but no records)"


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_progress_every_ten_thousand_rows_and_at_the_end(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"big{suffix}"
    if suffix == ".csv":
        path.write_text("record_id\n" + "".join(f"{i}\n" for i in range(25_000)))
    else:
        pq.write_table(pa.table({"record_id": list(range(25_000))}), path, row_group_size=7_000)
    calls: list[int] = []
    result = read_source(path, source="s", progress=calls.append)
    assert calls == [10_000, 20_000, 25_000]
    assert len(result.records) == 25_000
    assert result.records[-1].line == 25_001


def test_rows_in_memory_are_checked_like_a_file() -> None:
    rows: list[dict[str, object]] = [
        {"ID": "1", "full_name": " Siti ", "birth_date": "01/05/1990", "sex": "P"},
        {"ID": "", "full_name": "Budi", "birth_date": "", "sex": "L"},
        {"ID": 3, "full_name": "Agus", "birth_date": None, "sex": "L"},
    ]
    result = read_rows(rows, source="demo", mapping={"ID": "record_id"}, name="demo")
    assert [(r.record_id, r.line, r.full_name, r.birth_date) for r in result.records] == [
        ("1", 2, "Siti", dt.date(1990, 5, 1)),
        ("3", 4, "Agus", None),
    ]
    assert [str(e) for e in result.errors] == ["demo:3: ID: is empty; a record_id is required"]
    with pytest.raises(SourceFileError, match=r"^demo is empty$"):
        read_rows([], source="demo", name="demo")
