"""Ingestion of the real NOC 2021 tables: counts, parsing rules, validation errors, storage."""

from __future__ import annotations

import json
import shutil

import pandas as pd
import pytest

from nocmatch.catalog import Catalog, lead_actions
from nocmatch.errors import CatalogError
from nocmatch.ingest.parse import build_catalog
from nocmatch.ingest.sources import ELEMENTS_FILE, STRUCTURE_FILE


def test_catalog_counts_match_the_official_tables(catalog):
    assert len(catalog) == 516
    assert catalog.manifest["sources"][STRUCTURE_FILE]["rows"] == 822
    assert catalog.manifest["sources"][ELEMENTS_FILE]["rows"] == 45749
    assert catalog.manifest["noc_version"] == "NOC 2021 V1.0"
    per_code = catalog.duties.groupby("code").size()
    assert len(per_code) == 516 and per_code.min() >= 1
    assert (catalog.units["lead_statement"].str.len() > 20).all()


def test_unit_group_fields(catalog):
    unit = catalog.unit("21231")
    assert unit.title == "Software engineers and designers"
    assert unit.teer == 1 and unit.category == "2"
    assert unit.hierarchy["minor"] == "2123 Computer, software and Web designers and developers"
    assert unit.lead_statement.startswith("Software engineers and designers research, design, evaluate")
    assert unit.duties[0].text == "Collect and document users' requirements and develop logical and physical specifications"
    assert "software architect" in unit.illustrative_titles
    assert {n.ref_code for n in unit.exclusions} >= {"20012", "21232", "21234"}
    assert catalog.unit("20012").teer == 0


def test_header_is_dropped_and_may_duties_are_optional(catalog):
    assert not catalog.duties["text"].str.contains("some or all of the following duties").any()
    unit = catalog.unit("21231")
    assert [d.optional for d in unit.duties] == [False] * 5 + [True]
    assert all(d.text.startswith("May") for d in catalog.unit("21230").duties if d.optional)


def test_sub_occupation_headings_are_kept_not_duties(catalog):
    unit = catalog.unit("21223")
    assert unit.sub_occupations == ("Database analysts", "Data administrators")
    assert "Database analysts" not in [d.text for d in unit.duties]
    assert unit.duties[0].sub_occupation == "Database analysts"
    assert unit.duties[-1].sub_occupation == "Data administrators"
    # verb-led short duties are not mistaken for headings
    assert "Requisition materials and supplies" in set(catalog.duties["text"])


def test_specialization_notes_are_no_duties_and_let_the_headings_they_named_be_read(catalog):
    # "Physicists may specialize in ..." made "physicists" look like a verb the NOC opens duties with, so the
    # heading "Physicists" (and "Computer and telecommunications hardware engineers") was read as a duty
    texts = set(catalog.duties["text"])
    assert not {"Physicists", "Astronomers", "Computer and telecommunications hardware engineers",
                "Computer and network operators", "Illustrators"} & texts
    assert not catalog.duties["text"].str.contains(r"^Computer engineers may specialize").any()
    assert catalog.unit("21100").sub_occupations == ("Physicists", "Astronomers")
    hardware = catalog.unit("21311").duties
    assert hardware[0].text.startswith("Analyze user requirements")
    assert hardware[0].sub_occupation == "Computer and telecommunications hardware engineers"
    assert any(d.text.startswith("May specialize") and d.optional for d in catalog.unit("12203").duties)


def test_lead_actions_drops_the_employer_sentence(catalog):
    lead = catalog.unit("21232").lead_statement
    assert "employed" in lead and "employed" not in lead_actions(lead)


def _copy_tables(noc_dir, tmp_path):
    for name in (STRUCTURE_FILE, ELEMENTS_FILE):
        shutil.copy(noc_dir / name, tmp_path / name)
    return tmp_path / STRUCTURE_FILE, tmp_path / ELEMENTS_FILE


def test_cp1252_without_bom_trailing_spaces_and_colon_headings(noc_dir, tmp_path, catalog):
    structure, elements = _copy_tables(noc_dir, tmp_path)
    text = elements.read_text(encoding="utf-8-sig")
    text = text.replace("Database analysts\n", "Database analysts:  \n").replace(
        "Write scripts related to stored procedures and triggers", "Write scripts related to stored procedures and triggers   ")
    elements.write_bytes(text.encode("cp1252", errors="replace"))
    structure.write_bytes(structure.read_text(encoding="utf-8-sig").encode("cp1252", errors="replace"))
    rebuilt = build_catalog(structure, elements)
    assert len(rebuilt) == 516
    unit = rebuilt.unit("21223")
    assert unit.sub_occupations == ("Database analysts", "Data administrators")
    assert "Write scripts related to stored procedures and triggers" in [d.text for d in unit.duties]


def test_wrong_columns_are_refused_with_the_file_name(noc_dir, tmp_path):
    structure, elements = _copy_tables(noc_dir, tmp_path)
    text = elements.read_text(encoding="utf-8-sig").replace("Element Type Label English", "Type", 1)
    elements.write_text(text, encoding="utf-8")
    with pytest.raises(CatalogError) as info:
        build_catalog(structure, elements)
    message = str(info.value)
    assert ELEMENTS_FILE in message and "missing" in message and "\n" not in message


def test_partial_structure_file_is_refused(noc_dir, tmp_path):
    structure, elements = _copy_tables(noc_dir, tmp_path)
    lines = structure.read_text(encoding="utf-8-sig").splitlines(keepends=True)
    structure.write_text("".join(lines[:700]), encoding="utf-8")
    with pytest.raises(CatalogError, match=r"unit groups, NOC 2021 V1.0 has 516"):
        build_catalog(structure, elements)


def test_unit_group_without_duties_is_refused(noc_dir, tmp_path):
    structure, elements = _copy_tables(noc_dir, tmp_path)
    frame = pd.read_csv(elements, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    frame = frame[~((frame["Code - NOC 2021 V1.0"] == "21231") & (frame["Element Type Label English"] == "Main duties"))]
    frame.to_csv(elements, index=False)
    with pytest.raises(CatalogError, match=r"21231 has no main duties"):
        build_catalog(structure, elements)


def test_truncated_row_is_refused(noc_dir, tmp_path):
    structure, elements = _copy_tables(noc_dir, tmp_path)
    with elements.open("a", encoding="utf-8") as handle:
        handle.write('5,21231,"Software engineers and designers"\n')
    with pytest.raises(CatalogError, match="wrong number of fields"):
        build_catalog(structure, elements)


def test_save_load_round_trip_and_damage(catalog, tmp_path):
    folder = catalog.save(tmp_path / "catalog")
    loaded = Catalog.load(folder)
    assert loaded.sha256 == catalog.sha256
    assert loaded.unit("21223") == catalog.unit("21223")
    assert not list(folder.glob("*.parquet"))
    duties = folder / "duties.json"
    duties.write_bytes(duties.read_bytes().replace(b"Requisition", b"Requisitoin", 1))  # still valid JSON
    with pytest.raises(CatalogError, match="damaged"):
        Catalog.load(folder)
    duties.write_bytes(b"not json")
    with pytest.raises(CatalogError, match="damaged"):
        Catalog.load(folder)
    with pytest.raises(CatalogError, match="nocmatch ingest"):
        Catalog.load(tmp_path / "nowhere")


def test_catalog_hash_does_not_depend_on_the_storage_format(catalog):
    # the embedding caches are keyed by this hash: it is the CSV text pandas writes for each table
    import hashlib
    digest = hashlib.sha256()
    for name in ("units", "duties", "titles", "notes"):
        digest.update(name.encode())
        digest.update(catalog.frame(name).to_csv(index=False).encode("utf-8"))
    assert catalog.content_sha256() == digest.hexdigest() == catalog.sha256


def test_catalog_of_an_older_format_asks_for_ingest(catalog, tmp_path):
    folder = catalog.save(tmp_path / "catalog")
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    (folder / "manifest.json").write_text(json.dumps(dict(manifest, catalog_format=1)), encoding="utf-8")
    with pytest.raises(CatalogError, match=r"older nocmatch .*nocmatch ingest"):
        Catalog.load(folder)


def test_tables_as_dataframes_and_plain_columns_agree(catalog):
    assert list(catalog.duties["text"]) == catalog.column("duties", "text")
    assert catalog.units.shape == (516, 13)
    rows = catalog.rows("duties", "21231")
    assert [catalog.column("duties", "text")[r] for r in rows] == [d.text for d in catalog.unit("21231").duties]


def test_unknown_code_is_a_clear_error(catalog):
    with pytest.raises(CatalogError, match="not a NOC 2021 unit group"):
        catalog.unit("99999")


def test_a_subset_catalog_keeps_only_its_unit_groups_rows_in_order(catalog):
    codes = ["21232", "20012", "21231"]
    small = catalog.subset(codes)
    assert small.codes == ["20012", "21231", "21232"]  # the catalog's order, not the order asked
    for table in ("duties", "titles", "notes"):
        rows = [r for code in small.codes for r in catalog.rows(table, code)]
        assert small.column(table, "text" if table != "titles" else "title") == \
            [catalog.column(table, "text" if table != "titles" else "title")[r] for r in sorted(rows)]
    assert small.unit("21231").duties == catalog.unit("21231").duties
    assert small.manifest["subset_of"] == catalog.sha256 and small.sha256 != catalog.sha256
    assert small.manifest["counts"]["unit_groups"] == 3 and small.manifest["counts"]["duties"] == len(small.duties)
    with pytest.raises(CatalogError, match="99999 is not a unit group"):
        catalog.subset(["21231", "99999"])
