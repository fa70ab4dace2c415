"""Same bytes before and after: what two checkouts of the toolkit write, compared file by file.

    .venv/bin/python bench/same_bytes.py --before DIR [--after DIR] [--mb 1]

Each checkout (the folder holding its ``translate`` package; ``--after`` defaults to this one)
runs the same project in its own process: the press release of ``source/``, the real
documents of ``tests/data/real``, ``--mb`` MB of the bench corpus (``bench/corpus.py``) as one
plain-text document and as 30 small Markdown ones; ``segment``, ``update`` en and es (a fixed
date), a deterministic fill of the Spanish catalogues (translated, fuzzy, untranslated, and
``check: fail`` verdicts), ``build`` en and es in every format, es with ``--fallback mark``,
and an incremental rebuild after one catalogue changed. Every file written (templates,
catalogues, editions; the build manifests without their digest of the toolkit's own code)
must be byte-identical. Exit code 1 lists the files that differ.
"""

from __future__ import annotations

import argparse
import filecmp
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

_RUN = r"""
import datetime as dt, hashlib, shutil, sys
from pathlib import Path
repo, out, mb = Path(sys.argv[1]), Path(sys.argv[2]), float(sys.argv[3])
sys.path.insert(0, str(repo / "bench"))
from corpus import english_corpus
import polib
from translate.config import Config
from translate.po.stage import update
from translate.publish.stage import build
from translate.segment.stage import segment

src = out / "source"
src.mkdir(parents=True)
for p in sorted((repo / "source").glob("*.txt")) + sorted((repo / "tests/data/real").glob("*")):
    if p.suffix in (".md", ".txt") and p.name != "SOURCES.md":
        shutil.copy(p, src)
text = english_corpus(int(mb * 1e6))
(src / "bench.txt").write_text(text, encoding="utf-8")
paras = text.split("\n\n")
for k in range(30):
    (src / f"small{k:02d}.md").write_text(f"# Part {k}\n\n" + "\n\n".join(paras[k * 20 : (k + 1) * 20]) + "\n", encoding="utf-8")
now = dt.datetime(2026, 1, 2, 3, 4, tzinfo=dt.timezone.utc)
cfg = Config(out, quiet=True)
segment(cfg, now=now)
update(cfg, "en", now=now)
update(cfg, "es", now=now)
for po_path in sorted((out / "locales/es/LC_MESSAGES").glob("*.po")):
    po = polib.pofile(str(po_path), wrapwidth=79)
    for i, e in enumerate(po):
        h = int(hashlib.md5(e.msgid.encode()).hexdigest(), 16) % 5
        if h < 3:
            e.msgstr = " ".join(reversed(e.msgid.split()))
            if h == 1:
                e.flags.append("fuzzy")
        if h == 2 and i % 3 == 0:
            e.comment = (e.comment + "\n" if e.comment else "") + "check: fail"
    po.save(str(po_path))
for lang in ("en", "es"):
    build(cfg, lang)
build(cfg, "es", fallback="mark", formats=("source",))
shutil.copytree(out / "editions/es", out / "editions-mark")
po_path = out / "locales/es/LC_MESSAGES/labor-migration-governance.po"
po_path.write_bytes(po_path.read_bytes().replace(b'msgstr ""\n\n', b'msgstr "X"\n\n', 1))
build(cfg, "es")
"""


def run(tree: Path, out: Path, mb: float) -> None:
    """The project above, made with the ``translate`` package found in ``tree``."""
    env = dict(os.environ, PYTHONPATH=str(tree.resolve()))
    subprocess.run([sys.executable, "-c", _RUN, str(REPO), str(out), str(mb)], env=env, check=True, cwd=out.parent)


def _manifest(path: Path) -> dict:
    """A build manifest without the digests that name the toolkit's code (they differ by design)."""
    docs = json.loads(path.read_text(encoding="utf-8"))["documents"]
    return {name: {k: v for k, v in entry.items() if k != "key"} for name, entry in docs.items()}


def differences(a: Path, b: Path) -> list[str]:
    """Files of ``a`` and ``b`` (relative paths) that differ or exist on one side only."""
    files_a = {p.relative_to(a) for p in a.rglob("*") if p.is_file()}
    files_b = {p.relative_to(b) for p in b.rglob("*") if p.is_file()}
    out = [f"only in one: {p}" for p in sorted(files_a ^ files_b)]
    for rel in sorted(files_a & files_b):
        if rel.parts[0] == ".translate":
            same = _manifest(a / rel) == _manifest(b / rel)
        else:
            same = filecmp.cmp(a / rel, b / rel, shallow=False)
        if not same:
            out.append(f"differs: {rel}")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--before", type=Path, required=True, help="folder holding the translate package of before")
    ap.add_argument("--after", type=Path, default=REPO, help="the same for after (default: this checkout)")
    ap.add_argument("--mb", type=float, default=1.0, help="size of the bench corpus document in MB (default 1)")
    opts = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="same-bytes-") as tmp:
        root = Path(tmp)
        for name, tree in (("before", opts.before), ("after", opts.after)):
            (root / name).mkdir()
            run(tree, root / name / "project", opts.mb)
        diff = differences(root / "before" / "project", root / "after" / "project")
        count = sum(1 for p in (root / "after" / "project").rglob("*") if p.is_file())
    print(f"{count} files written by each; {len(diff)} differ")
    for line in diff:
        print(line)
    sys.exit(1 if diff else 0)


if __name__ == "__main__":
    main()
