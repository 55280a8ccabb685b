"""The registry of listings formats: names, labels, telling a file's format by its header."""

from __future__ import annotations

import pytest

from listings.importers import contract, tokyo_kodomo_shokudo
from listings.importers.registry import (
    CONTRACT,
    FORMATS,
    TOKYO_KODOMO_SHOKUDO,
    detect_format,
    format_named,
    import_listing_file,
    listing_formats,
)
from listings.management.commands.import_listings import Command


def header(*columns: str, encoding: str = "utf-8-sig") -> bytes:
    return (",".join(columns) + "\r\n1,2,3\r\n").encode(encoding)


def test_formats_have_unique_names_and_labels():
    assert listing_formats() == {
        "contract": "居場所・窓口CSV（DESIGN.md §6）",
        "tokyo-kodomo-shokudo": "子ども食堂一覧（東京都オープンデータの形式）",
    }
    assert [known.name for known in FORMATS] == list(listing_formats())
    assert format_named("tokyo-kodomo-shokudo") is TOKYO_KODOMO_SHOKUDO


def test_import_listings_offers_every_registered_format():
    parser = Command().create_parser("manage.py", "import_listings")
    [action] = [a for a in parser._actions if "--format" in a.option_strings]
    assert action.choices == list(listing_formats())
    assert all(f"{name}＝{label}" in action.help for name, label in listing_formats().items())


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (header(*contract.LISTING_COLUMNS), CONTRACT),
        (header(*contract.LISTING_REQUIRED_COLUMNS), CONTRACT),
        (header(*tokyo_kodomo_shokudo.COLUMNS), TOKYO_KODOMO_SHOKUDO),
        (header(*tokyo_kodomo_shokudo.REQUIRED_COLUMNS), TOKYO_KODOMO_SHOKUDO),
        (header(*tokyo_kodomo_shokudo.COLUMNS, encoding="cp932"), TOKYO_KODOMO_SHOKUDO),
        # Both layouts' columns: the file is ours.
        (
            header(*contract.LISTING_REQUIRED_COLUMNS, *tokyo_kodomo_shokudo.REQUIRED_COLUMNS),
            CONTRACT,
        ),
        # Neither, or unreadable: the contract importer says what is wrong.
        (header("名称", "住所"), CONTRACT),
        (b"", CONTRACT),
        ("ID,区分".encode("utf-16"), CONTRACT),
    ],
)
def test_a_files_format_is_told_by_its_header(data, expected):
    assert detect_format(data) is expected


@pytest.mark.parametrize(
    ("known", "required"),
    [
        (CONTRACT, contract.LISTING_REQUIRED_COLUMNS),
        (TOKYO_KODOMO_SHOKUDO, tokyo_kodomo_shokudo.REQUIRED_COLUMNS),
    ],
)
def test_a_format_needs_all_its_required_columns(known, required):
    assert known.matches([*required, "備考"])
    for missing in required:
        assert not known.matches([column for column in required if column != missing])


def test_an_unknown_format_name_is_refused():
    with pytest.raises(ValueError, match="unknown listings format: csv"):
        format_named("csv")
    with pytest.raises(ValueError, match="unknown listings format"):
        import_listing_file(b"ID\n", format="csv")


@pytest.mark.django_db
def test_a_missing_file_is_reported_by_the_contract_importer(tmp_path):
    result = import_listing_file(tmp_path / "none.csv")
    assert not result.ok
    assert isinstance(result, contract.ListingImportResult)
    assert (result.errors[0].line, result.errors[0].column) == (1, "")
    assert "ファイルを読めません" in result.errors[0].message
