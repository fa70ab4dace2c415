"""Word counts: ours (translate/text.py) against translate-toolkit's `pocount`, entry by entry.

Run: .venv/bin/python bench/wordcount.py  (needs `make peers`: pocount lives in .venv-peers)

For every msgid of our templates (made from source/ and tests/data/real/) and of the Debian
Spanish catalogues (msgunfmt of /usr/share/locale/es/LC_MESSAGES/*.mo), it compares our count
with pocount's own `wordcount` function and prints a table.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from translate.text import word_count  # noqa: E402

PEERS = ROOT / ".venv-peers" / "bin" / "python"
POCOUNT = (
    "import json, sys\n"
    "from translate.tools.pocount import wordcount\n"
    "print(json.dumps([wordcount(s) for s in json.load(sys.stdin)]))\n"
)


def pocount(texts: list[str]) -> list[int]:
    # run outside the project folder: our package is also called `translate`
    r = subprocess.run([str(PEERS), "-c", POCOUNT], input=json.dumps(texts), capture_output=True, text=True, check=True, cwd="/")
    return json.loads(r.stdout)


def corpora() -> dict[str, list[str]]:
    import polib

    out: dict[str, list[str]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        proj = Path(tmp)
        (proj / "source").mkdir()
        for p in list((ROOT / "source").iterdir()) + list((ROOT / "tests" / "data" / "real").glob("*")):
            if p.suffix in (".txt", ".md"):
                (proj / "source" / p.name).write_bytes(p.read_bytes())
        subprocess.run([sys.executable, "-m", "translate", "--project", str(proj), "-q", "segment"], check=True)
        out["our templates (source/, tests/data/real/)"] = [e.msgid for pot in proj.glob("locales/*.pot") for e in polib.pofile(str(pot))]
        debian = []
        for mo in sorted(Path("/usr/share/locale/es/LC_MESSAGES").glob("*.mo")):
            po = proj / (mo.stem + ".po")
            if subprocess.run(["msgunfmt", str(mo), "-o", str(po)], capture_output=True).returncode == 0:
                debian += [e.msgid for e in polib.pofile(str(po)) if e.msgid] + [e.msgid_plural for e in polib.pofile(str(po)) if e.msgid_plural]
        out["Debian Spanish catalogues (msgids)"] = debian
    return out


def main() -> None:
    if not PEERS.exists():
        sys.exit("pocount is not installed: run `make peers` first")
    print("| texts | n | words (ours) | words (pocount) | texts that differ |")
    print("|---|---|---|---|---|")
    for name, texts in corpora().items():
        theirs = pocount(texts)
        ours = [word_count(t) for t in texts]
        diff = [(t, a, b) for t, a, b in zip(texts, ours, theirs) if a != b]
        print(f"| {name} | {len(texts):,} | {sum(ours):,} | {sum(theirs):,} | {len(diff)} |")
        for t, a, b in diff[:5]:
            print(f"    ours {a}, pocount {b}: {t[:80]!r}")


if __name__ == "__main__":
    main()
