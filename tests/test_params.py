"""Parameter merging: defaults < store YAML < command line."""

import pytest

from wxshop import params
from wxshop.errors import ParamsError


@pytest.fixture
def root(tmp_path):
    (tmp_path / "params" / "stores").mkdir(parents=True)
    (tmp_path / "params" / "defaults.yaml").write_text(
        "lang: zh\ncolumns: {}\nrfm: {bins: 5, window: 365}\n", encoding="utf-8"
    )
    (tmp_path / "params" / "stores" / "s1.yaml").write_text(
        "data_dir: data/s1\nrfm: {bins: 4}\ncolumns: {实收: amount}\n", encoding="utf-8"
    )
    return tmp_path


def test_merge_order_and_deep_merge(root):
    got = params.store_params("s1", {"lang": "en"}, root)
    assert got == {
        "lang": "en",
        "columns": {"实收": "amount"},
        "rfm": {"bins": 4, "window": 365},
        "data_dir": "data/s1",
        "store": "s1",
    }


def test_list_stores(root):
    (root / "params" / "stores" / "a0.yaml").write_text("data_dir: x\n")
    assert params.list_stores(root) == ["a0", "s1"]


def test_unknown_store_names_file_and_known_stores(root):
    with pytest.raises(ParamsError, match=r"nope\.yaml.*known stores: s1"):
        params.store_params("nope", root=root)


def test_bad_yaml_names_file_and_line(root):
    bad = root / "params" / "stores" / "bad.yaml"
    bad.write_text("data_dir: x\n  lang: [zh\n", encoding="utf-8")
    with pytest.raises(ParamsError, match=r"bad\.yaml line \d+"):
        params.store_params("bad", root=root)


@pytest.mark.parametrize(
    "text, want",
    [("lang=en", ("lang", "en")), ("jobs=3", ("jobs", 3)), ("x=[1, 2]", ("x", [1, 2])),
     ("period_end=2026-10-31", ("period_end", "2026-10-31"))],
)
def test_parse_override(text, want):
    key, value = params.parse_override(text)
    # YAML reads an ISO date as a date; keep dates as text for notebooks
    assert (key, value) == want


def test_parse_override_needs_equals():
    with pytest.raises(ParamsError, match="key=value"):
        params.parse_override("lang")


def test_each_notebook_gets_only_the_parameters_it_declares(tmp_path):
    import nbformat

    from wxshop.batch.plan import notebook_parameters, plan_jobs

    (tmp_path / "params" / "stores").mkdir(parents=True)
    (tmp_path / "params" / "defaults.yaml").write_text("lang: zh\nrfm_bins: 5\n")
    (tmp_path / "params" / "stores" / "s.yaml").write_text("data_dir: d\n")
    (tmp_path / "notebooks").mkdir()
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(
        'store: str = "x"  # id\nlang: str = "zh"  # language\nreport_dir: str = ""  # out',
        metadata={"tags": ["parameters"]})]
    nbformat.write(nb, tmp_path / "notebooks" / "00_thing.ipynb")
    assert notebook_parameters(tmp_path / "notebooks" / "00_thing.ipynb") == {
        "store", "lang", "report_dir"}
    (job,) = plan_jobs(root=tmp_path, overrides={"lang": "en"})
    assert job.parameters == {"store": "s", "lang": "en", "report_dir": str(tmp_path / "reports" / "s")}


def test_notebook_params_store_line_switches_and_injected_values_win(root):
    ns = {"store": "sample", "data_dir": "data/sample", "lang": "zh", "rfm": {}, "other": 1}
    assert params.notebook_params("", ns, injected=set(), root=root) == {}
    got = params.notebook_params("s1", ns, injected=set(), root=root)
    assert got == {"store": "s1", "data_dir": "data/s1", "lang": "zh", "rfm": {"bins": 4, "window": 365}}
    got = params.notebook_params("s1", {**ns, "data_dir": "/x"}, injected={"data_dir"}, root=root)
    assert got["data_dir"] == "/x" and got["store"] == "s1"
    with pytest.raises(ParamsError, match="known stores: s1"):
        params.notebook_params("nope", ns, injected=set(), root=root)


def test_injected_names_reads_papermills_cell():
    history = ["", 'STORE: str = ""  # id', '# Parameters\nlang = "en"\ndata_dir = "/d"\n', "x = 2"]
    assert params.injected_names(history) == {"lang", "data_dir"}
    assert params.injected_names(["# Parameters\n"]) == set()
    assert params.injected_names([]) == set()
    assert params.injected_names() == set()  # outside a kernel: nothing injected


def test_notebook_params_check_values_by_the_notebooks_defaults(root):
    (root / "params" / "stores" / "s2.yaml").write_text("data_dir: data/s2\nlang: fr\ndays: 14.5\n")
    ns = {"store": "sample", "data_dir": "data/sample", "lang": "zh", "days": 0}
    with pytest.raises(ParamsError, match="lang is 'fr'; expected zh or en"):
        params.notebook_params("s2", ns, injected=set(), root=root)
    (root / "params" / "stores" / "s2.yaml").write_text("data_dir: data/s2\ndays: 14.5\n")
    assert params.notebook_params("s2", ns, injected=set(), root=root)["days"] == 14.5
    (root / "params" / "stores" / "s2.yaml").write_text("data_dir: data/s2\ndays: abc\n")
    with pytest.raises(ParamsError, match="days is 'abc'"):
        params.notebook_params("s2", ns, injected=set(), root=root)
