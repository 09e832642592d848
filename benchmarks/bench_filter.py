"""The documents table's filter on the GUI thread, on a real archive's records.

    python benchmarks/bench_filter.py --archive DIR

For filters of different shapes (half the rows, scattered; all of them; a field query; none), the time to
judge every record (what the browser does on a worker thread for a large archive: ``Filters.verdicts``),
the time of Qt's refilter with those verdicts (``DocumentsProxy.set_filters``: the GUI thread), and of
the paint that follows. Offscreen Qt; the archive is indexed first (a cache makes that quick).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "app"))

from PySide6.QtWidgets import QApplication, QTableView

from masthead.core.index import ArchiveIndex
from masthead.core.query import parse_query
from masthead.ui.documents_proxy import DocumentsProxy, Filters
from masthead.ui.models import DocumentsModel


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--archive", type=Path, required=True)
    args = parser.parse_args()
    app = QApplication([])
    records = list(ArchiveIndex(args.archive).open().records.values())
    model = DocumentsModel()
    model.reset(records)
    proxy = DocumentsProxy()
    proxy.setSourceModel(model)
    view = QTableView()
    view.setModel(proxy)
    view.resize(900, 600)
    view.show()
    app.processEvents()
    paths = [r.path for r in records]
    half, everything = set(paths[::2]), set(paths)
    cases: list[tuple[str, dict[str, object]]] = [
        ("half the rows, scattered", {"allowed": half}),
        ("no filter", {}),
        ("every row (a filter)", {"allowed": everything}),
        ("no filter", {}),
        ("tags:ai (a field query)", {"query": parse_query("tags:ai")}),
        ("no filter", {}),
    ]
    print(f"{len(records):,} records")
    for name, kw in cases:
        query = proxy.prepared(kw.get("query"))  # type: ignore[arg-type]
        filters = Filters(query, "", None, kw.get("allowed"))  # type: ignore[arg-type]
        t0 = time.perf_counter()
        verdicts = filters.verdicts(model.records, model.schema, model.git_state)
        t1 = time.perf_counter()
        proxy.set_filters(query, "", None, kw.get("allowed"), verdicts)  # type: ignore[arg-type]
        t2 = time.perf_counter()
        app.processEvents()
        t3 = time.perf_counter()
        print(
            f"{name:28s} {proxy.rowCount():>7,} shown: verdicts (worker) {1000 * (t1 - t0):6.1f} ms, "
            f"refilter (GUI) {1000 * (t2 - t1):6.1f} ms, paint {1000 * (t3 - t2):6.1f} ms"
        )


if __name__ == "__main__":
    main()
