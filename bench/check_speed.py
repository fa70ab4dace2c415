"""Speed of `translate check` on a 20,000-entry catalogue, beside translate-toolkit's pofilter.

    .venv/bin/python bench/check_speed.py [--entries 20000] [--keep DIR]

The catalogue is made of real human Spanish entries of the Debian programs in
/usr/share/locale/es/LC_MESSAGES (the first N entries, sorted by domain and msgid, plural
forms and context included). Both tools run as a user would: ours as `python -m translate
check FILE --no-write --engine apertium` (back-translation of every entry with Apertium,
in batches), pofilter with its default tests (from .venv-peers).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
POFILTER = ROOT / ".venv-peers" / "bin" / "pofilter"
PY = ROOT / ".venv" / "bin" / "python"


def make_catalogue(path: Path, n: int) -> int:
    import polib

    from translate.po.pofile import new_pofile, write_po

    po = new_pofile()
    po.metadata.update({"Language": "es", "Content-Type": "text/plain; charset=UTF-8", "MIME-Version": "1.0",
                        "Content-Transfer-Encoding": "8bit", "Project-Id-Version": "speed",
                        "Plural-Forms": "nplurals=2; plural=(n != 1);"})
    seen = set()
    for mo in sorted(Path("/usr/share/locale/es/LC_MESSAGES").glob("*.mo")):
        if mo.stem.startswith("iso_"):
            continue
        for e in polib.mofile(str(mo)):
            key = (e.msgctxt, e.msgid)
            if not e.msgid or key in seen or (e.msgid_plural and len(e.msgstr_plural) != 2):
                continue
            seen.add(key)
            e2 = polib.POEntry(msgid=e.msgid, msgstr=e.msgstr, msgctxt=e.msgctxt, msgid_plural=e.msgid_plural,
                               msgstr_plural=dict(e.msgstr_plural), occurrences=[(mo.stem, "")])
            if "%" in e.msgid:
                e2.flags.append("c-format")
            po.append(e2)
            if len(po) >= n:
                break
        if len(po) >= n:
            break
    write_po(path, po)
    return len(po)


def timed(cmd: list[str]) -> tuple[float, int]:
    t = time.perf_counter()
    p = subprocess.run(cmd, capture_output=True, text=True)
    return time.perf_counter() - t, p.returncode


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--entries", type=int, default=20000)
    ap.add_argument("--keep", type=Path)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        po = folder / "speed.po"
        n = make_catalogue(po, args.entries)
        rows = []
        secs, code = timed([str(PY), "-m", "translate", "-q", "check", str(po), "--no-write", "--engine", "apertium",
                            "--json", str(folder / "speed.json"), "--html", str(folder / "speed.html")])
        rows.append(("translate check (apertium back-translation)", secs, code))
        secs, code = timed([str(PY), "-m", "translate", "-q", "check", str(po), "--no-write", "--engine", "none",
                            "--html", str(folder / "speed2.html")])
        rows.append(("translate check --engine none", secs, code))
        if POFILTER.exists():
            secs, code = timed([str(POFILTER), "--progress=none", str(po), str(folder / "pofilter-out.po")])
            rows.append(("pofilter (default tests)", secs, code))
        import json

        summary = json.loads((folder / "speed.json").read_text())["summary"]
        print(f"{n} entries ({po.stat().st_size // 1024} KiB), {__import__('os').cpu_count()} cores")
        print(f"{'tool':46} {'seconds':>8} {'entries/s':>10}  exit")
        for name, secs, code in rows:
            print(f"{name:46} {secs:8.1f} {n / secs:10.0f}  {code}")
        print(f"our verdicts: {summary['verdicts']}")


if __name__ == "__main__":
    main()
