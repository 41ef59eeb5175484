"""The `kg` command: parse arguments, call the library, report. No logic lives here."""

from __future__ import annotations

import gc
import os
import sys
from pathlib import Path
from typing import Any

import click

from . import __version__
from .errors import KgError
from .schema import FORMATS

_STAGES = {
    "pages": "Reading pages / 读取版面",
    "recognition": "Segmenting, recognizing / 切分与识别",
    "resolution": "Resolving entities / 实体消解",
    "relations": "Finding relations and events / 抽取关系与事件",
    "merge": "Merging across articles / 跨文章合并",
    "export": "Writing outputs / 写出结果",
}


class _Bar:
    """A progress bar on stderr that appears once the total is known."""

    def __init__(self) -> None:
        self.bars: dict[str, Any] = {}

    def __call__(self, stage: str, done: int, total: int) -> None:
        bar = self.bars.get(stage)
        if bar is None:
            bar = click.progressbar(length=total, label=_STAGES.get(stage, stage), file=sys.stderr)
            bar.__enter__()
            self.bars[stage] = bar
        bar.update(done - bar.pos)
        if done >= total:
            bar.__exit__(None, None, None)


def _fail(exc: KgError) -> None:
    click.echo(f"kg: {exc}", err=True)
    sys.exit(2)


class _Command(click.Group):
    """The `kg` group; called as a program (the console script, `python -m kg.cli`: click's
    standalone mode, which ends in sys.exit) rather than through its `main` method (click's test
    runner) or with standalone_mode=False (a caller that wants control back), it lets a build
    end the process at once."""

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        global _PROGRAM
        _PROGRAM = bool(kwargs.get("standalone_mode", args[3] if len(args) > 3 else True))
        return self.main(*args, **kwargs)


_PROGRAM = False


def _end_program() -> None:
    """End a `kg` process whose work is done and reported, without freeing what it made.

    Freeing a rebuild's graph and tearing down the interpreter took 0.15 s of a 1.7 s rebuild
    of 1,000 pages; the outputs are written, synced and switched in by now, and the kernel
    takes the memory back whole (mypy ends the same way). Only when called as a program: a
    test runner calling `main.main` lives on.
    """
    if _PROGRAM:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)


@click.group(cls=_Command, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kg")
def main() -> None:
    """pingcheng-kg: build a knowledge graph from Chinese local news pages.

    平城新闻知识图谱：从报纸版面文本构建知识图谱。
    """


@main.command()
# As text, not Path: with --cluster they may be URLs (Path would fold s3://b into s3:/b).
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@click.option("-o", "--out", type=click.Path(path_type=str), default="output", show_default=True,
              help="Directory for the outputs. / 输出目录")
@click.option("-f", "--format", "formats", multiple=True, metavar="FORMAT",
              help=f"Export format, repeatable (default: all): {', '.join(FORMATS)}. / 导出格式")
@click.option("--base-iri", envvar="PCKG_BASE_IRI", default=None, metavar="IRI",
              help="Namespace of the data IRIs in RDF (default https://w3id.org/pckg/id/). / 数据 IRI 前缀")
@click.option("-j", "--jobs", type=click.IntRange(min=0), default=1, show_default=True,
              help="Processes for page analysis; 0 = one per CPU. / 并行进程数")
@click.option("--cache", "cache", type=click.Path(path_type=Path), default=None,
              help="Directory of page results reused by later builds [default: OUT/.cache]. / 缓存目录")
@click.option("--no-cache", is_flag=True, help="Analyse every page afresh, keep nothing. / 不使用缓存")
@click.option("--manifest", type=click.Path(path_type=Path), default=None,
              help="TSV/CSV of file, url, date: each page's address and publication date. / 版面清单")
@click.option("--max-page-size", "max_page_size", default="256M", show_default=True, metavar="SIZE",
              help="Refuse page files larger than this (bytes, or with K, M, G). / 单页大小上限")
@click.option("--wait", is_flag=True,
              help="If another build is writing OUT, wait for it instead of failing. / 等待另一个构建完成")
@click.option("--cluster", default=None, metavar="ADDRESS",
              help="Build on Dask: local:N (a cluster of N processes) or tcp://HOST:PORT (a running scheduler); writes "
                   "N-Triples shards (graph/part-*.nt) and only the formats given with -f "
                   "(docs/scale.md). PAGES and OUT may be URLs. / 在 Dask 集群上构建")
@click.option("--partitions", type=click.IntRange(min=0), default=0, show_default=True, metavar="N",
              help="With --cluster: resolution partitions and N-Triples shards; 0 = two per worker. / 分区数")
def build(paths: tuple[str, ...], out: str, formats: tuple[str, ...], base_iri: str | None, jobs: int,
          cache: Path | None, no_cache: bool, manifest: Path | None, max_page_size: str, wait: bool,
          cluster: str | None, partitions: int) -> None:
    """Build the graph from page files or directories (default: seeds/).

    从版面文件或目录构建图谱（默认 seeds/）。
    """
    enabled = gc.isenabled()
    gc.disable()  # the pipeline's imports make many objects and no garbage: the collector only walks them (0.01 s)
    try:
        from .build import DEFAULT_FORMATS, build as run
    finally:
        if enabled:
            gc.enable()

    if cluster is not None:
        _build_on_cluster(paths, out, formats, base_iri, manifest, max_page_size, wait, cluster, partitions)
        return
    out_dir = Path(out)
    try:
        _, report = run(tuple(Path(p) for p in paths) or (Path("seeds"),), out_dir, formats or DEFAULT_FORMATS, progress=_Bar(),
                        base_iri=base_iri, cache=None if no_cache else cache or out_dir / ".cache", jobs=jobs,
                        manifest=manifest, wait=wait, max_page_size=_size(max_page_size))
    except KgError as exc:
        _fail(exc)
        return
    _summary(report, out_dir)
    _end_program()


def _summary(report: Any, out: Path) -> None:
    for message in (*report.warnings, *report.errors):
        click.echo(f"kg: {message}", err=True)
    rows = [("files / 文件", report.files), ("pages / 版面", report.pages), ("  from cache / 缓存", report.cached), ("articles / 文章", report.articles),
            ("fragments / 残段", report.fragments)]
    rows += [(f"  {t}", n) for t, n in report.entity_counts.items()]
    rows += [("relations / 关系", report.relations), ("events / 事件", report.events),
             ("errors / 错误", len(report.errors))]
    click.echo(_table(rows))
    for line in _written(out, report.outputs):
        click.echo(line)
    if report.pages == 0:
        click.echo("kg: nothing could be built (没有可构建的版面)", err=True)
        sys.exit(1)


def _build_on_cluster(paths: tuple[str, ...], out: str, formats: tuple[str, ...], base_iri: str | None,
                      manifest: Path | None, max_page_size: str, wait: bool, spec: str, partitions: int) -> None:
    from .cluster import build as run

    try:
        report = run(list(paths or ("seeds",)), out, spec, formats, progress=_Bar(), base_iri=base_iri,
                     partitions=partitions, manifest=manifest, max_page_size=_size(max_page_size), wait=wait,
                     notify=lambda text: click.echo(f"kg: {text}", err=True))
    except KgError as exc:
        _fail(exc)
        return
    target = out[len("file://"):] if out.startswith("file://") else out
    if "://" in target:  # a remote OUT: the outputs were written in a local staging directory, then uploaded
        from dataclasses import replace

        _summary(replace(report, outputs=()), Path(target))
        click.echo(f"wrote {len(report.outputs)} files to {out} (graph/parts.json and manifest.json list them)")
        return
    _summary(report, Path(target))


@main.command()
@click.argument("name", required=False)
@click.option("-b", "--build", "build_dir", type=click.Path(path_type=Path), default=Path("output"), show_default=True,
              help="The build to view: its directory (graph.graphml) or a .graphml file. / 构建目录")
@click.option("-p", "--pages", "paths", multiple=True, type=click.Path(path_type=Path),
              help="Extract afresh from these page files or directories instead, repeatable. / 重新从版面抽取")
@click.option("-d", "--depth", type=int, default=1, show_default=True,
              help="Hops from NAME to include. / 邻域深度")
@click.option("-t", "--types", help="Comma-separated types to show, e.g. Person,Subdistrict,Event,Article. / 显示的类型")
@click.option("-m", "--min-mentions", type=int, default=0, show_default=True,
              help="Hide entities and events mentioned fewer times. / 最少提及次数")
@click.option("-n", "--max-nodes", type=int, default=2000, show_default=True,
              help="Without NAME, show at most this many nodes, the most mentioned; 0 for all. / 最多节点数")
@click.option("-o", "--out", type=click.Path(path_type=Path), default=Path("output/view.html"), show_default=True,
              help="The HTML file to write. / 输出文件")
def view(name: str | None, build_dir: Path, paths: tuple[Path, ...], depth: int, types: str | None,
         min_mentions: int, max_nodes: int, out: Path) -> None:
    """Write an HTML view of a build: NAME's neighbourhood, or the whole graph limited by type and mentions.

    输出已构建图谱的 HTML 视图：某实体的邻域，或按类型、提及次数筛选的全图。
    """
    from .show import write_view

    try:
        path, shown, errors = write_view(paths or build_dir, out, name, depth, types, min_mentions,
                                         max_nodes or None)
    except KgError as exc:
        _fail(exc)
        return
    for message in errors:
        click.echo(f"kg: {message}", err=True)
    click.echo(f"wrote {path} ({shown.number_of_nodes():,} nodes / 节点, {shown.number_of_edges():,} edges / 边)")


@main.command()
@click.argument("build_dir", metavar="[BUILD]", default=Path("output"), type=click.Path(path_type=Path))
@click.option("--store", "store_dir", type=click.Path(path_type=Path), default=None,
              help="Directory of the Oxigraph store (default: BUILD/oxigraph). / 三元组库目录")
def load(build_dir: Path, store_dir: Path | None) -> None:
    """Load BUILD/graph.ttl into a persistent Oxigraph store on disk, replacing what it held.

    A build made with --cluster: its N-Triples shards, graph/part-*.nt.

    将 BUILD/graph.ttl 载入磁盘上的 Oxigraph 三元组库（覆盖原有内容）。
    """
    from .store import load_build

    target = store_dir or build_dir / "oxigraph"
    try:
        triples = load_build(build_dir, target)
    except KgError as exc:
        _fail(exc)
        return
    click.echo(f"loaded {triples:,} triples into {target} (已载入)")


@main.command()
@click.argument("build", default=Path("output"), type=click.Path(path_type=Path))
def validate(build: Path) -> None:
    """Check a build (directory or RDF file) against the SHACL shapes in ontology/shapes.ttl.

    按 SHACL 约束校验图谱；不合格时列出每处违规并以非零状态退出。
    """
    from .validate import validate as check

    try:
        report = check(build)
    except KgError as exc:
        _fail(exc)
        return
    for violation in report.violations:
        click.echo(str(violation))
    verdict = "conforms / 合格" if report.conforms else f"{len(report.violations)} violations / 处违规"
    click.echo(f"{build}: {report.triples:,} triples, {verdict}")
    if not report.conforms:
        sys.exit(1)


@main.command()
@click.argument("query", required=False)
@click.option("-f", "--file", "file", type=click.Path(path_type=Path), help="Read the query from a .rq file. / 查询文件")
@click.option("-p", "--param", "params", multiple=True, metavar="NAME=VALUE",
              help="Bind a parameter, repeatable, e.g. -p name=永泰街道. / 查询参数")
@click.option("-g", "--graph", "build", type=click.Path(path_type=Path), default=Path("output"), show_default=True,
              help="Build directory or RDF file to query. / 图谱目录或文件")
@click.option("--engine", type=click.Choice(["oxigraph", "rdflib"]), default="oxigraph", show_default=True,
              help="SPARQL engine; rdflib is the slow reference. / 查询引擎")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "xml", "csv", "tsv"]), default="table",
              show_default=True, help="A table for people, or a W3C SPARQL results format. / 输出格式")
@click.option("--list", "list_", is_flag=True, help="List the named queries and their parameters. / 列出预置查询")
def query(query: str | None, file: Path | None, params: tuple[str, ...], build: Path, engine: str, fmt: str,
          list_: bool) -> None:
    """Run SPARQL: a named query (see --list), inline SPARQL text, or --file FILE.

    运行 SPARQL 查询：预置查询名、查询文本或查询文件；参数由引擎绑定，不拼接进查询文本。
    """
    from . import query as q

    try:
        if list_:
            click.echo(q.describe(q.named_queries()), nl=False)
            return
        found = q.find_query(query, file)
        if fmt != "table":
            _echo_safe(q.run_serialized(build, found, q.parse_params(params), engine, fmt))
            return
        result = q.run(build, found, q.parse_params(params), engine)
    except KgError as exc:
        _fail(exc)
        return
    _echo_safe(q.format_result(result))


@main.command()
@click.argument("build", metavar="[BUILD]", default=Path("output"), type=click.Path(path_type=Path))
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on. / 监听地址")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="Port; 0 picks a free one. / 端口")
@click.option("--base-iri", default=None, metavar="IRI",
              help="Namespace of the build's IRIs, answered under /id/ and its own path [default: read from the "
                   "build]. / 数据 IRI 前缀")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=10.0, show_default=True,
              help="Seconds a query may run. / 查询时限（秒）")
@click.option("--max-rows", type=click.IntRange(min=1), default=10_000, show_default=True,
              help="Rows (or triples) a result may have. / 结果行数上限")
def serve(build: Path, host: str, port: int, base_iri: str | None, timeout: float, max_rows: int) -> None:
    """Serve BUILD read-only: a SPARQL endpoint at /sparql, its IRIs as pages and data, search.

    只读发布图谱：/sparql 查询端点、可解析的 IRI（网页与 RDF）、搜索。
    """
    from .serve import Limits, serve as run

    def ready(url: str, site: object) -> None:
        click.echo(f"serving {build} at {url} (SPARQL: {url}sparql); Ctrl-C stops / 按 Ctrl-C 停止")

    try:
        run(build, host, port, base_iri, Limits(timeout=timeout, max_rows=max_rows), ready)
    except KgError as exc:
        _fail(exc)


@main.command("eval")
@click.option("--gold", "gold", type=click.Path(path_type=Path), required=True,
              help="Directory of gold *.json files. / 金标准目录")
@click.argument("build", type=click.Path(path_type=Path), default=Path("output"))
@click.option("-q", "--quiet", is_flag=True, help="Only the figures, no misses and extras. / 只显示指标")
@click.option("--min", "floors", multiple=True, metavar="METRIC=F1",
              help="Exit 1 when METRIC's F1 is below F1 (e.g. --min entities=0.9); repeatable. "
                   "/ 指标低于下限时退出码为 1")
def eval_(gold: Path, build: Path, quiet: bool, floors: tuple[str, ...]) -> None:
    """Score BUILD (default output/, reads graph.ttl) against a gold standard.

    按金标准评测构建结果：各类型的准确率、召回率、F1，以及漏标与多标。
    """
    from .evaluate import below_floors, evaluate, format_report, parse_floors

    try:
        wanted = parse_floors(floors)
        report = evaluate(gold, build)
    except KgError as exc:
        _fail(exc)
        return
    click.echo(format_report(report, details=not quiet))
    failures = below_floors(report, wanted)
    for line in failures:
        click.echo(line, err=True)
    if failures:
        sys.exit(1)


def _echo_safe(out: str | bytes) -> None:
    """Query output: a table is escaped already; CSV, JSON, XML and TSV are escaped too when a
    terminal shows them, so that ESC or BEL in a headline cannot act on it."""
    from .query import terminal_safe

    if sys.stdout.isatty():
        text = out.decode("utf-8") if isinstance(out, bytes) else out
        out = terminal_safe(text, keep="\n\t")
    click.echo(out, nl=False)


def _size(text: str) -> int:
    """"256M" -> bytes: a number with an optional K, M or G (powers of 1024)."""
    units = {"": 1, "K": 1 << 10, "M": 1 << 20, "G": 1 << 30}
    number, unit = text.strip().upper().removesuffix("B"), ""
    if number[-1:] in units:
        number, unit = number[:-1], number[-1]
    try:
        size = int(float(number) * units[unit])
    except ValueError:
        size = 0
    if size <= 0:
        raise click.BadParameter(f"{text!r} is not a size such as 200000, 500K or 64M (大小格式错误)",
                                 param_hint="--max-page-size")
    return size


def _written(out: Path, paths: tuple[Path, ...]) -> list[str]:
    """One line per output file, and one per output directory with its file count."""
    counts: dict[Path, int] = {}
    for path in paths:
        top = out / path.relative_to(out).parts[0]
        counts[top] = counts.get(top, 0) + 1
    return [f"wrote {top}/ ({n} files)" if top.is_dir() else f"wrote {top}" for top, n in counts.items()]


def _table(rows: list[tuple[str, int]]) -> str:
    from .text import display_width

    left = max(display_width(name) for name, _ in rows)
    return "\n".join(f"{name}{' ' * (left - display_width(name))}  {count:>8,}" for name, count in rows)


if __name__ == "__main__":
    main()
