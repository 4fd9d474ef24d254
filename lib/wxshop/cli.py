"""The ``wxshop`` command: demo data, batch runs, validation, the index page.

Errors the user can fix (bad data, bad parameters) print one short message and exit
with code 2, never a traceback.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from wxshop import paths
from wxshop.errors import WxshopError

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help="Playbooks and HTML reports for shops that sell through WeChat.",
)


def _split(values: list[str] | None) -> list[str] | None:
    """Accept repeated options and comma lists alike: --stores a,b --stores c."""
    if not values:
        return None
    return [v.strip() for item in values for v in item.split(",") if v.strip()]


@app.command("demo-data")
def demo_data(
    stores: Annotated[int, typer.Option(help="How many demo stores.")] = 3,
    customers: Annotated[int, typer.Option(help="Customers per store (sizes vary ±30%).")] = 20_000,
    seed: Annotated[int, typer.Option(help="Random seed; same seed, same data.")] = 0,
    out: Annotated[Path, typer.Option(help="Folder to write one sub-folder per store into.")] = Path(
        "data/demo"
    ),
    fmt: Annotated[str, typer.Option("--format", help="parquet or csv.")] = "parquet",
    names: Annotated[
        list[str] | None, typer.Option(help="Store folder names instead of demo_01, demo_02, …")
    ] = None,
) -> None:
    """Generate realistic demo stores with their planted truths (truth.json)."""
    from wxshop import demo

    if fmt not in ("parquet", "csv"):
        raise WxshopError(f"--format must be parquet or csv, not {fmt!r}.")
    out = paths.resolve(out) if not out.is_absolute() else out
    written = demo.write_demo_stores(
        out, stores=stores, customers=customers, seed=seed, fmt=fmt, names=_split(names)
    )
    for folder in written:
        typer.echo(str(folder))


@app.command()
def run(
    stores: Annotated[
        list[str] | None, typer.Option("--stores", "-s", help="Store ids (default: all).")
    ] = None,
    notebooks: Annotated[
        list[str] | None, typer.Option("--notebooks", "-n", help="Notebook names (default: all).")
    ] = None,
    jobs: Annotated[
        int, typer.Option("--jobs", "-j", help="Reports run at once on this machine (not with --scheduler).")
    ] = 1,
    set_: Annotated[
        list[str] | None, typer.Option("--set", help="Override a parameter: key=value.")
    ] = None,
    lang: Annotated[str | None, typer.Option(help="Report language: zh or en.")] = None,
    reports: Annotated[Path | None, typer.Option(help="Output folder (default reports/).")] = None,
    with_code: Annotated[bool, typer.Option("--with-code", help="Keep code in the HTML.")] = False,
    scheduler: Annotated[
        str | None,
        typer.Option(
            help="Dask scheduler address, e.g. tcp://host:8786: run the reports on that cluster's "
            "workers, which need wxshop and the project at the same path."
        ),
    ] = None,
    memory_limit: Annotated[
        str | None,
        typer.Option(
            "--memory-limit",
            help="Memory each report's DuckDB queries may hold before they spill to disk, e.g. 4GB "
            "(default: half this machine's memory shared among --jobs; WXSHOP_DUCKDB_MEMORY if set).",
        ),
    ] = None,
    pdf: Annotated[
        bool,
        typer.Option(
            "--pdf",
            help="Also print each report and the index to an A4 PDF beside its HTML, with the system's "
            "Chromium (apt-get install chromium, or set WXSHOP_CHROMIUM) and the `pdf` extra.",
        ),
    ] = False,
) -> None:
    """Run every notebook for every store (papermill → HTML) and write reports/index.html
    (with --pdf, a PDF beside each)."""
    from wxshop.params import parse_override, read_yaml
    from wxshop.report.i18n import check_lang

    root = paths.project_root()
    _set_memory_limit(memory_limit, jobs)
    if pdf:  # no Playwright or no browser: exit 2 now, before any notebook runs
        _check_pdf()
    overrides = dict(parse_override(s) for s in (set_ or []))
    if lang:
        overrides["lang"] = check_lang(lang)
    out = paths.resolve(reports, root) if reports else paths.reports_dir(root)
    here = not scheduler and jobs <= 1
    if here:  # reports run in this process: the kernel warms up while it plans and loads
        from wxshop.batch.execute import prepare

        prepare(root)
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from wxshop.batch.local import Interrupted
    from wxshop.batch.plan import discover_notebooks, plan_batch
    from wxshop.batch.results import JobResult, exit_code, mark, save_status
    from wxshop.batch.runner import run_jobs

    job_list, refused = plan_batch(_split(stores), _split(notebooks), overrides, out, root, with_code)
    from wxshop.report.index import THRESHOLDS_PARAM, build_index, load_thresholds

    refused_results = []
    for job, error in refused:  # a store with wrong parameters fails alone, before anything runs
        result = JobResult(job.store, job.notebook, "data_error", 0.0, error=error, item=job.item)
        Path(job.report_dir).mkdir(parents=True, exist_ok=True)
        save_status(job, result)
        refused_results.append(result)
    thresholds = load_thresholds(root, overrides.get(THRESHOLDS_PARAM))  # bad values stop before the batch
    cluster = _connect(scheduler, jobs) if scheduler else None  # a bad address stops here
    with cluster or contextlib.nullcontext(), Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        transient=False,
        disable=not sys.stderr.isatty() and not sys.stdout.isatty(),
    ) as progress:
        task = progress.add_task("reports", total=len(job_list))

        def done(result):
            progress.advance(task)
            if result.status != "ok":
                progress.console.print(
                    f"[red]✗ {result.store} / {_report_name(result)}: {result.error}[/red]"
                )

        for job in job_list:  # an earlier run's "ok" must not stand for a report not rewritten
            mark(job, "pending", "not run: the batch stopped before it")
        interrupted = False
        try:
            if here and job_list:  # the first store's tables, while the kernel imports
                from wxshop.batch.execute import preload

                preload(job_list[0])
            results = refused_results + (run_jobs(job_list, n_jobs=jobs, on_done=done,
                                                  cluster=cluster) if job_list else [])
        except Interrupted as stop:  # Ctrl-C: the index of what finished, then exit 130
            results, interrupted = refused_results + stop.results, True
        except KeyboardInterrupt:  # Ctrl-C while preloading: nothing ran (all marked pending)
            results, interrupted = refused_results, True
    defaults = paths.params_dir(root) / "defaults.yaml"
    index_lang = lang or (read_yaml(defaults).get("lang", "zh") if defaults.is_file() else "zh")
    index = build_index(out, lang=index_lang, order=list(discover_notebooks(root)), thresholds=thresholds)
    pdfs_failed, pdfs, pdfs_stopped = {}, 0, False
    if pdf and not interrupted:
        try:
            pdfs_failed, pdfs = _write_pdfs(job_list, results, index)
        except KeyboardInterrupt:  # Ctrl-C while printing: no PDF is left half-written
            pdfs_stopped = True
    elif not pdf:  # an earlier run's index.pdf would show another index than index.html
        (out / "index.pdf").unlink(missing_ok=True)
    failed = [r for r in results if r.status != "ok"]
    typer.echo(f"{len(results) - len(failed)}/{len(results)} reports written.")
    for r in failed:
        where = f" (cell {r.cell})" if r.cell is not None else ""
        typer.echo(f"FAILED {r.store} / {_report_name(r)}{where}: {r.error}", err=True)
    if pdfs:
        typer.echo(f"{pdfs - len(pdfs_failed)}/{pdfs} PDFs written.")
    for page, error in pdfs_failed.items():
        typer.echo(f"PDF FAILED {page}: {error}", err=True)
    typer.echo(f"Index: {index}")
    if interrupted:
        typer.echo(f"interrupted: {len(job_list) - len(results) + len(refused_results)} reports"
                   " not finished (marked so in the index).", err=True)
        raise typer.Exit(130)
    if pdfs_stopped:
        typer.echo("interrupted while printing PDFs: the reports are as listed above, some PDFs not written.",
                   err=True)
        raise typer.Exit(130)
    code = exit_code(results)
    raise typer.Exit(max(code, 1) if pdfs_failed else code)  # a PDF asked for and not written


def _set_memory_limit(given: str | None, jobs: int) -> None:
    """DuckDB's memory limit for the batch's reports (:mod:`wxshop.data.engine`), through the
    environment the kernels inherit: ``--memory-limit``, else WXSHOP_DUCKDB_MEMORY as set, else
    half this machine's memory shared among ``jobs``. A bad value stops here (exit 2)."""
    from wxshop.data import engine

    if given:
        os.environ[engine.ENV_MEMORY] = engine.check_memory_limit(given, "--memory-limit")
    elif os.environ.get(engine.ENV_MEMORY):
        engine.check_memory_limit(os.environ[engine.ENV_MEMORY])
    else:
        os.environ[engine.ENV_MEMORY] = engine.batch_memory_limit(jobs)
    engine.settings()  # WXSHOP_DUCKDB_THREADS too


def _check_pdf() -> None:
    """Start and stop the browser that ``--pdf`` prints with, so that a missing Playwright or
    Chromium stops the batch (exit 2, with the fix) before any notebook runs."""
    from wxshop.report.pdf import PdfPrinter

    with PdfPrinter() as printer:
        printer.open()


def _write_pdfs(job_list, results, index: Path) -> tuple[dict[str, str], int]:
    """Print the reports this run wrote and the index to PDF, beside their HTML; returns the
    failures (report → error) and how many PDFs were due.

    One pass in this process after the batch, whether the reports ran here, in worker processes
    or on a Dask cluster (whose workers write into the same folder): one browser for all, no
    browser in any worker, and the notebooks' run is not slowed by printing. A PDF that fails
    leaves its HTML report as it is (ok in the index); it is listed in the summary.
    """
    from wxshop.report.pdf import PdfPrinter, print_pdfs

    html = {(job.store, job.name): job.output_html for job in job_list}
    pages = {html[r.store, _report_name(r)]: f"{r.store} / {_report_name(r)}" for r in results
             if r.status == "ok" and r.html and (r.store, _report_name(r)) in html}
    pages[index] = "index"
    with PdfPrinter() as printer:
        failed = print_pdfs(list(pages), printer)
    return {pages[page]: error for page, error in failed.items()}, len(pages)


def _connect(scheduler: str, jobs: int):
    """A Dask client for ``--scheduler`` (closed when the batch ends)."""
    from wxshop.batch.dask import connect

    if jobs != 1:
        typer.echo("note: --jobs does not apply with --scheduler; the workers' threads set "
                   "how many reports run at once.", err=True)
    return connect(scheduler)


def _report_name(result) -> str:
    return f"{result.notebook}-{result.item}" if result.item else result.notebook


@app.command()
def validate(
    store: Annotated[str, typer.Argument(help="Store id (params/stores/<id>.yaml) or a data folder.")],
) -> None:
    """Load and check one store's data; print what was read, used and rejected."""
    from wxshop.data.load import load_store
    from wxshop.params import store_params

    root = paths.project_root()
    folder = Path(store)
    if folder.is_dir():
        name, params = folder.name, {"data_dir": str(folder)}
    else:
        name, params = store, store_params(store, root=root)
    report_dir = paths.resolve(params.get("report_dir") or paths.store_report_dir(name), root)
    loaded = load_store(
        paths.resolve(params["data_dir"], root),
        name=name,
        columns=params.get("columns") or None,
        files=params.get("files") or None,
        source=params.get("source") or None,
        statuses=params.get("statuses") or None,
        guards=params.get("guards") or None,
        rejected_path=report_dir / "rejected_rows.csv",
    )
    typer.echo(loaded.quality.to_string(index=False))
    for table, note in loaded.notes.items():
        if note.get("unknown_statuses"):
            counts = ", ".join(f"{k} ({v:,} rows)" for k, v in note["unknown_statuses"].items())
            typer.echo(f"{table}: unknown statuses {counts}; {note.get('status_fix', '')}")
    for w in loaded.warnings:
        typer.echo(f"warning: {w['table']}: {w['rejected']:,} of {w['read']:,} rows set aside"
                   f" ({w['share']:.1%} > {w['max']:.0%}, rule {w['rule']})")
    if len(loaded.rejected):
        typer.echo(f"rejected rows written to {report_dir / 'rejected_rows.csv'}")
    if loaded.missing:
        typer.echo(f"optional tables not found: {', '.join(loaded.missing)}")


@app.command()
def inspect(
    path: Annotated[Path, typer.Argument(help="A store's data folder or one export file.")],
) -> None:
    """Show what wxshop reads from a file or folder: layout, mapping, rows, statuses, sample rows."""
    from wxshop.data.inspect import inspect as inspect_path

    typer.echo(inspect_path(path))


@app.command()
def secret(
    rotate: Annotated[bool, typer.Option(help="Replace the key; every pseudonym changes.")] = False,
) -> None:
    """Where the pseudonym key lives (and --rotate to replace it)."""
    from wxshop.data import identity

    if rotate:
        new, old = identity.rotate()
        typer.echo(f"new key: {new}" + (f" (old key kept as {old})" if old else ""))
        return
    identity.secret()
    typer.echo(f"key file: {identity.secret_file()} (id {identity.key_id()})")


@app.command()
def index(
    reports: Annotated[Path | None, typer.Option(help="Reports folder (default reports/).")] = None,
    lang: Annotated[str, typer.Option(help="zh or en.")] = "zh",
) -> None:
    """Rebuild reports/index.html from the reports already written."""
    from wxshop.batch.plan import discover_notebooks
    from wxshop.report.index import build_index, load_thresholds

    root = paths.project_root()
    out = paths.resolve(reports, root) if reports else paths.reports_dir(root)
    page = build_index(out, lang=lang, order=list(discover_notebooks(root)), thresholds=load_thresholds(root))
    typer.echo(str(page))


_WRITE_ERRORS = {errno.ENOSPC, errno.EROFS, errno.EACCES, errno.EPERM, errno.EDQUOT}


def main() -> None:
    """Console entry point: user errors exit 2 with a one-line message."""
    try:
        code = app(standalone_mode=False)
    except WxshopError as exc:
        typer.echo(f"error: {exc}", err=True)
        sys.exit(2)
    except OSError as exc:  # a read-only or full disk: one line, not a traceback
        if exc.errno not in _WRITE_ERRORS:
            raise
        where = f" {exc.filename}" if exc.filename else ""
        typer.echo(f"error: cannot write{where}: {exc.strerror}. Fix: free space on that disk or"
                   " choose a writable folder (--reports).", err=True)
        sys.exit(2)
    except Exception as exc:  # click usage errors arrive here in non-standalone mode
        import click

        if isinstance(exc, click.ClickException):
            exc.show()
            sys.exit(2)
        if isinstance(exc, click.exceptions.Abort):
            sys.exit(130)
        raise
    sys.exit(code if isinstance(code, int) else 0)


if __name__ == "__main__":
    main()
