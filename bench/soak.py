"""Soak test: random but seeded sequences of real commands and review-page actions.

Each sequence is a fresh project (a Markdown and a text document) taken through
``translate segment / update / mt / check`` (the CLI entry point, the real Apertium engine)
and the review app (in-process WSGI calls: approve as-is, approve an edited text, save an
edit, reject), with English edits of the source after approvals and review saves attempted
while ``update`` holds the project lock. After every step it checks:

- no reviewed translation is lost: every approved text is still the msgstr of its entry,
  of an entry that ``update`` made fuzzy (``#| msgid``) because its English changed, or of
  an obsolete entry; and no ``reviewed:`` mark sits on a text no person wrote or approved;
- every catalogue passes ``msgfmt -c``;
- the English edition (``translate build --lang en``) equals the source byte for byte.

Run:  .venv/bin/python bench/soak.py --sequences 1000 --seed 1 [--steps 6] [--workers 2]

``tests/test_soak.py`` runs a small number of sequences of the same code.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import io
import json
import random
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import translate.po.catalogue as po_catalogue  # noqa: E402
from translate.cli import main as cli_main  # noqa: E402
from translate.po.pofile import read_po  # noqa: E402
from translate.po.state import REVIEWED_PREFIX, comment_lines  # noqa: E402
from translate.review.app import create_app  # noqa: E402

TOKEN = "soak-token"

SENTENCES = [
    "The cat sleeps on the warm chair.",
    "Open the red door before you leave the house.",
    "My brother reads a book every evening.",
    "The children play in the park after school.",
    "We eat bread and cheese for breakfast.",
    "The train arrives at the station at noon.",
    "She writes a long letter to her friend.",
    "The old man walks his dog in the morning.",
    "It rains a lot in the north of the country.",
    "The shop closes early on Sundays.",
    "Please put the books on the table.",
    "The river is very cold in winter.",
    "Our teacher speaks three languages.",
    "The garden has many beautiful flowers.",
    "He drinks coffee with milk every day.",
    "The museum opens at nine in the morning.",
    "They buy fresh fish at the market.",
    "The bus stops in front of the church.",
    "My sister works in a big hospital.",
    "The window of the kitchen is open.",
    "We visit our grandparents in the summer.",
    "The doctor gives the patient some water.",
    "The students write their names on the paper.",
    "A small bird sings in the tree.",
]

#: Small English edits: (word, replacement). A sentence edited so stays similar (fuzzy match).
SWAPS = [
    ("cat", "dog"), ("red", "blue"), ("book", "newspaper"), ("park", "garden"), ("bread", "rice"),
    ("noon", "midnight"), ("long", "short"), ("old", "young"), ("north", "south"), ("early", "late"),
    ("table", "chair"), ("cold", "warm"), ("three", "four"), ("many", "some"), ("coffee", "tea"),
    ("nine", "ten"), ("fish", "meat"), ("church", "school"), ("big", "small"), ("kitchen", "bedroom"),
    ("summer", "winter"), ("water", "milk"), ("names", "answers"), ("small", "big"), ("every", "each"),
]


# -- the documents -------------------------------------------------------------------------------------


@dataclass
class Doc:
    name: str  #: file name in source/
    paragraphs: list[list[str]]  #: each paragraph: its sentences
    title: str = ""

    def render(self) -> str:
        parts = []
        if self.name.endswith(".md"):
            parts.append(f"# {self.title}")
            for k, para in enumerate(self.paragraphs):
                text = " ".join(para)
                parts.append(f"- {text}" if k == len(self.paragraphs) - 1 and len(para) == 1 else text)
        else:
            parts = [" ".join(p) for p in self.paragraphs]
        return "\n\n".join(parts) + "\n"


def small_edit(rng: random.Random, sentence: str) -> str:
    words = sentence.rstrip(".").split(" ")
    swaps = [(a, b) for a, b in SWAPS if a in words]
    if swaps and rng.random() < 0.8:
        a, b = rng.choice(swaps)
        return " ".join(b if w == a else w for w in words) + "."
    return sentence.rstrip(".") + rng.choice([" again.", " today.", " as usual."])


# -- results ----------------------------------------------------------------------------------------------


@dataclass
class Totals:
    sequences: int = 0
    steps: int = 0
    approvals: int = 0  #: approvals saved by the review page
    english_edits_after_approval: int = 0  #: source edits of a sentence whose translation was approved
    retranslate_runs: int = 0  #: `mt --retranslate machine` runs
    saves_refused_during_update: int = 0  #: review saves attempted while `update` held the lock
    reviewed_lost: int = 0
    stale_marks: int = 0  #: `reviewed:` marks on a text no person wrote or approved
    msgfmt_failures: int = 0
    edition_mismatches: int = 0
    command_errors: int = 0  #: commands that exited 2 or review calls that failed unexpectedly
    seconds: float = 0.0
    failures: list[str] = field(default_factory=list)  #: the first few, to reproduce

    reported: set = field(default_factory=set, repr=False)

    def fail(self, what: str, where: str, detail: str) -> None:
        """Count a problem once, at the step where it first shows (it may show after every later step)."""
        key = (what, where.split(" step")[0], detail)
        if key in self.reported:
            return
        self.reported.add(key)
        setattr(self, what, getattr(self, what) + 1)
        if len(self.failures) < 20:
            self.failures.append(f"{what} at {where}: {detail}")

    @property
    def bad(self) -> int:
        return self.reviewed_lost + self.stale_marks + self.msgfmt_failures + self.edition_mismatches + self.command_errors


# -- one sequence -----------------------------------------------------------------------------------------


class Sequence:
    def __init__(self, root: Path, seed: int, number: int, totals: Totals, steps: int):
        self.rng = random.Random(f"{seed}:{number}")
        self.number = number
        self.totals = totals
        self.steps = steps
        self.project = root / f"seq{number}"
        (self.project / "source").mkdir(parents=True)
        pool = SENTENCES[:]
        self.rng.shuffle(pool)
        self.spare = pool[9:]
        self.docs = [
            Doc("guide.md", [pool[0:2], [pool[2]], [pool[3], pool[4]], [pool[5]]], title="A short guide"),
            Doc("notes.txt", [[pool[6]], [pool[7], pool[8]]]),
        ]
        self.history: dict[str, list[list[list[str]]]] = {d.name: [] for d in self.docs}
        self.stale = False  #: source edited since the last `segment`
        self.approved: dict[str, list[tuple[str, str]]] = {}  #: domain → [(msgid, approved text)]
        self.human: dict[str, set[str]] = {}  #: domain → texts a person saved or approved
        self.app = None
        self.counter = 0
        self.where = f"seq {number} setup"

    # -- commands --------------------------------------------------------------------------------

    def cli(self, *args: str, ok=(0, 1)) -> int:
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = cli_main(["--project", str(self.project), "--quiet", *args])
        if code not in ok:
            self.totals.fail("command_errors", self.where, f"translate {' '.join(args)} exited {code}: {err.getvalue().strip()[:300]}")
        return code

    def write_sources(self) -> None:
        for d in self.docs:
            (self.project / "source" / d.name).write_text(d.render(), encoding="utf-8")
        self.stale = True

    def segment(self) -> None:
        self.cli("segment")
        self.stale = False

    def po_paths(self) -> list[Path]:
        return sorted((self.project / "locales" / "es" / "LC_MESSAGES").glob("*.po"))

    # -- the review app ----------------------------------------------------------------------------

    def call(self, path: str, body: dict) -> tuple[int, dict]:
        data = json.dumps(body).encode()
        env = {
            "REQUEST_METHOD": "POST",
            "PATH_INFO": path,
            "QUERY_STRING": "",
            "HTTP_HOST": "127.0.0.1:8765",
            "wsgi.input": io.BytesIO(data),
            "CONTENT_LENGTH": str(len(data)),
            "CONTENT_TYPE": "application/json",
            "HTTP_X_REVIEW_TOKEN": TOKEN,
        }
        out: dict = {}

        def start_response(status, headers):
            out["status"] = int(status.split()[0])

        raw = b"".join(self.app(env, start_response))
        return out["status"], json.loads(raw)

    def open_app(self) -> None:
        self.app = create_app(
            self.po_paths(), project=self.project, token=TOKEN, reviewer="Soak Reviewer", today=lambda: dt.date(2026, 11, 28)
        )

    def reload(self, k: int) -> None:
        status, body = self.call("/api/reload", {"cat": k})
        if status != 200:
            self.totals.fail("command_errors", self.where, f"reload refused: {status} {body}")

    def pick_entry(self, *, translated: bool) -> tuple[int, int] | None:
        choices = [
            (k, i)
            for k, cat in enumerate(self.app.catalogues)
            for i, e in enumerate(cat.entries)
            if e.msgid and not e.msgid_plural and (bool(e.msgstr) == translated or not translated)
        ]
        return self.rng.choice(choices) if choices else None

    def review(self, action: str, *, during_update: bool = False) -> None:
        """One review action on a random entry, as a reviewer would: reload first if told the file changed."""
        if self.app is None:
            self.open_app()
        if self.rng.random() < 0.7:
            for k in range(len(self.app.catalogues)):
                self.reload(k)
        pick = self.pick_entry(translated=action != "save")
        if pick is None:
            return
        k, i = pick
        cat = self.app.catalogues[k]
        e = cat.entries[i]
        msgid, old = e.msgid, e.msgstr
        if action == "approve" and not old:
            action = "save"
        self.counter += 1
        body: dict = {"cat": k, "i": i, "action": action, "digest": cat.digest}
        if action == "save" or (action == "approve" and self.rng.random() < 0.5):
            base = old.rstrip(".") if old else msgid.rstrip(".")
            body["msgstr"] = f"{base} [r{self.number}-{self.counter}]."
        status, resp = self.call("/api/entry", body)
        if status == 409:  # the page was stale: the reviewer reloads and does it again
            self.reload(k)
            cat = self.app.catalogues[k]
            i = next((j for j, x in enumerate(cat.entries) if x.msgid == msgid), None)
            if i is None:
                return
            old = cat.entries[i].msgstr
            if action == "approve" and not old and "msgstr" not in body:
                return
            body.update(i=i, digest=cat.digest)
            status, resp = self.call("/api/entry", body)
        if status != 200:
            self.totals.fail("command_errors", self.where, f"review {action} refused: {status} {resp}")
            return
        if not resp.get("saved"):
            return
        self.record(self.domain_of(k), msgid, old, resp["entry"]["msgstr"], approved=action == "approve")

    def domain_of(self, k: int) -> str:
        return self.app.catalogues[k].path.stem

    def record(self, domain: str, msgid: str, old: str, new: str, *, approved: bool) -> None:
        recs = self.approved.setdefault(domain, [])
        if old != new or approved:  # the person replaced (or re-approved) the text they had approved
            recs[:] = [(m, t) for m, t in recs if t != old and t != new]
        if approved:
            recs.append((msgid, new))
            self.totals.approvals += 1
        if new:
            self.human.setdefault(domain, set()).add(new)

    # -- steps ---------------------------------------------------------------------------------------

    def step_edit_source(self, approved_first: bool = False) -> None:
        approved_ids = {m for recs in self.approved.values() for m, _t in recs}
        docs = [d for d in self.docs if any(s in approved_ids for p in d.paragraphs for s in p)]
        doc = self.rng.choice(docs if approved_first and docs else self.docs)
        self.history[doc.name].append([p[:] for p in doc.paragraphs])
        spots = [(p, s) for p, para in enumerate(doc.paragraphs) for s in range(len(para))]
        mine = [(p, s) for p, s in spots if doc.paragraphs[p][s] in approved_ids]
        r = self.rng.random()
        if mine and (r < 0.6 or approved_first):
            p, s = self.rng.choice(mine)
            doc.paragraphs[p][s] = small_edit(self.rng, doc.paragraphs[p][s])
            self.totals.english_edits_after_approval += 1
        elif r < 0.75:
            p, s = self.rng.choice(spots)
            doc.paragraphs[p][s] = small_edit(self.rng, doc.paragraphs[p][s])
        elif r < 0.83 and self.spare:
            p, s = self.rng.choice(spots)
            if doc.paragraphs[p][s] in approved_ids:
                self.totals.english_edits_after_approval += 1
            doc.paragraphs[p][s] = self.spare.pop()
        elif r < 0.9 and len(doc.paragraphs) > 2:
            doc.paragraphs.pop(self.rng.randrange(len(doc.paragraphs) - 1))
        elif r < 0.95 and self.spare:
            doc.paragraphs.insert(self.rng.randrange(len(doc.paragraphs)), [self.spare.pop()])
        elif len(self.history[doc.name]) > 1:  # back to an earlier version: obsolete entries come back
            doc.paragraphs = [p[:] for p in self.rng.choice(self.history[doc.name][:-1])]
        self.write_sources()
        if self.rng.random() < 0.85:
            self.segment()

    def step_update(self) -> None:
        self.cli("update", "--lang", "es", ok=(0,))

    def step_update_with_review(self) -> None:
        """`update`, with a review save attempted while it holds the lock: refused, then done again."""
        if self.app is None:
            self.open_app()
        for k in range(len(self.app.catalogues)):
            self.reload(k)
        pick = self.pick_entry(translated=True)
        if pick is None:
            self.step_update()
            return
        k, i = pick
        cat = self.app.catalogues[k]
        msgid = cat.entries[i].msgid
        self.counter += 1
        text = f"{cat.entries[i].msgstr.rstrip('.')} [u{self.number}-{self.counter}]."  # always a change to save
        seen: list[tuple[int, dict, bytes, bytes]] = []
        original = po_catalogue.merge

        def merge_with_a_save(*args, **kwargs):
            if not seen:
                before = cat.path.read_bytes()
                body = {"cat": k, "i": i, "action": "approve", "digest": cat.digest, "msgstr": text}
                status, resp = self.call("/api/entry", body)
                seen.append((status, resp, before, cat.path.read_bytes()))
            return original(*args, **kwargs)

        po_catalogue.merge = merge_with_a_save
        try:
            self.step_update()
        finally:
            po_catalogue.merge = original
        if not seen:
            self.totals.fail("command_errors", self.where, "update did not merge anything")
            return
        status, resp, before, after = seen[0]
        self.totals.saves_refused_during_update += 1
        if status not in (409, 423) or before != after or resp.get("saved"):
            self.totals.fail(
                "reviewed_lost", self.where, f"a review save during update was not refused: {status} {resp}"[:300]
            )
            if status == 200 and resp.get("saved"):
                self.record(self.domain_of(k), msgid, "", text, approved=True)
            return
        # the reviewer reloads and approves again: now it is saved
        self.reload(k)
        j = next((n for n, x in enumerate(cat.entries) if x.msgid == msgid), None)
        if j is None or not cat.entries[j].msgstr:
            return
        old = cat.entries[j].msgstr
        status, resp = self.call("/api/entry", {"cat": k, "i": j, "action": "approve", "digest": cat.digest, "msgstr": text})
        if status != 200:
            self.totals.fail("command_errors", self.where, f"approve after update refused: {status} {resp}")
            return
        self.record(self.domain_of(k), msgid, old, resp["entry"]["msgstr"], approved=True)

    def step_mt(self, retranslate: bool | None = None) -> None:
        if retranslate or (retranslate is None and self.rng.random() < 0.6):
            self.totals.retranslate_runs += 1
            self.cli("mt", "--lang", "es", "--engine", "apertium", "--retranslate", "machine")
        else:
            self.cli("mt", "--lang", "es", "--engine", "apertium")

    def step_check(self) -> None:
        self.cli("check", "--lang", "es", "--engine", "none" if self.rng.random() < 0.7 else "apertium")

    # -- what must hold after every step -----------------------------------------------------------------

    def verify(self) -> None:
        for path in self.po_paths():
            r = subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(path)], capture_output=True, text=True)
            if r.returncode:
                self.totals.fail("msgfmt_failures", self.where, f"{path.name}: {r.stderr.strip()[:300]}")
            po = read_po(path)
            domain = path.stem
            for msgid, text in self.approved.get(domain, []):
                holders = [e for e in po if e.msgstr == text]
                if not any(e.obsolete or e.msgid == msgid or e.previous_msgid is not None for e in holders):
                    self.totals.fail("reviewed_lost", self.where, f"{domain}: approved {text!r} (for {msgid!r}) is gone")
            human = self.human.get(domain, set())
            for e in po:
                if not e.obsolete and any(x.startswith(REVIEWED_PREFIX) for x in comment_lines(e)) and e.msgstr not in human:
                    self.totals.fail("stale_marks", self.where, f"{domain}: reviewed mark on {e.msgstr!r} (msgid {e.msgid!r})")
        if self.stale:
            return  # the templates are older than the source: `build --lang en` must refuse, not lie
        editions = self.project / "editions" / "en"
        if self.cli("build", "--lang", "en", "--format", "source", ok=(0,)) != 0:
            return
        for d in self.docs:
            src = (self.project / "source" / d.name).read_bytes()
            out = editions / d.name
            if not out.exists() or out.read_bytes() != src:
                self.totals.fail("edition_mismatches", self.where, f"editions/en/{d.name} differs from source/{d.name}")

    # -- the whole sequence ------------------------------------------------------------------------------

    def run(self) -> None:
        self.write_sources()
        self.segment()
        self.cli("update", "--lang", "es", ok=(0,))
        self.cli("mt", "--lang", "es", "--engine", "apertium", ok=(0,))
        self.open_app()
        self.verify()
        actions = {
            "edit source": (self.step_edit_source, 3),
            "update": (self.step_update, 2),
            "update + review save": (self.step_update_with_review, 1),
            "mt": (self.step_mt, 2),
            "check": (self.step_check, 1),
            "approve": (lambda: self.review("approve"), 4),
            "save": (lambda: self.review("save"), 1),
            "reject": (lambda: self.review("reject"), 0.5),
        }
        names = list(actions)
        # every sequence takes the dangerous path once: approve, change that English,
        # update, retranslate the machine entries; then random steps
        plan: list[tuple[str, object]] = [
            ("approve", actions["approve"][0]),
            ("edit approved source", lambda: self.step_edit_source(approved_first=True)),
            ("update", self.step_update),
            ("mt --retranslate machine", lambda: self.step_mt(retranslate=True)),
        ]
        for name in self.rng.choices(names, [actions[n][1] for n in names], k=max(0, self.steps - len(plan))):
            plan.append((name, actions[name][0]))
        for n, (name, fn) in enumerate(plan, 1):
            self.where = f"seq {self.number} step {n} ({name})"
            fn()
            self.totals.steps += 1
            self.verify()
        self.totals.sequences += 1


def _one(args: tuple[int, int, int, str]) -> Totals:
    number, seed, steps, tmp = args
    totals = Totals()
    Sequence(Path(tmp), seed, number, totals, steps).run()
    shutil.rmtree(Path(tmp) / f"seq{number}", ignore_errors=True)
    return totals


def _add(total: Totals, part: Totals) -> None:
    for name in (
        "sequences", "steps", "approvals", "english_edits_after_approval", "retranslate_runs",
        "saves_refused_during_update", "reviewed_lost", "stale_marks", "msgfmt_failures",
        "edition_mismatches", "command_errors",
    ):
        setattr(total, name, getattr(total, name) + getattr(part, name))
    total.failures.extend(part.failures[: max(0, 20 - len(total.failures))])


def run_soak(
    sequences: int, seed: int, steps: int = 6, workdir: Path | None = None, progress=None, workers: int = 1
) -> Totals:
    """Run ``sequences`` seeded sequences (sequence n is the same whatever ``workers`` is)."""
    if not shutil.which("msgfmt") or not shutil.which("apertium"):
        raise SystemExit("the soak test needs GNU gettext (msgfmt) and Apertium (apertium-eng-spa)")
    totals = Totals()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="soak-", dir=workdir) as tmp:
        jobs = [(n, seed, steps, tmp) for n in range(sequences)]
        if workers > 1:
            import multiprocessing

            # spawn, not fork: the caller may hold threads (a browser driver, a thread pool) whose
            # locks a forked child would inherit held
            with multiprocessing.get_context("spawn").Pool(workers) as pool:
                parts = pool.imap(_one, jobs)
                for n, part in enumerate(parts, 1):
                    _add(totals, part)
                    if progress:
                        progress(n, totals)
        else:
            for n, job in enumerate(jobs, 1):
                _add(totals, _one(job))
                if progress:
                    progress(n, totals)
    totals.seconds = time.perf_counter() - started
    return totals


def table(t: Totals) -> str:
    rows = [
        ("sequences", t.sequences),
        ("steps", t.steps),
        ("approvals saved", t.approvals),
        ("English edits after approval", t.english_edits_after_approval),
        ("mt --retranslate machine runs", t.retranslate_runs),
        ("review saves during update (refused)", t.saves_refused_during_update),
        ("reviewed entries lost (target 0)", t.reviewed_lost),
        ("stale reviewed marks (target 0)", t.stale_marks),
        ("msgfmt -c failures (target 0)", t.msgfmt_failures),
        ("English edition mismatches (target 0)", t.edition_mismatches),
        ("unexpected command errors (target 0)", t.command_errors),
        ("seconds", f"{t.seconds:.1f}"),
    ]
    w = max(len(a) for a, _ in rows)
    return "\n".join(f"| {a:<{w}} | {b:>8} |" for a, b in rows)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sequences", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--steps", type=int, default=6, help="steps per sequence (at least 4)")
    ap.add_argument("--workers", type=int, default=1, help="sequences run in parallel (processes)")
    args = ap.parse_args()

    def progress(n: int, t: Totals) -> None:
        if n % 25 == 0 or n == args.sequences:
            print(f"  {n}/{args.sequences} sequences, {t.bad} problems", file=sys.stderr, flush=True)

    t = run_soak(args.sequences, args.seed, args.steps, progress=progress, workers=args.workers)
    print(f"seed {args.seed}, {args.steps} steps per sequence, {args.workers} worker(s)")
    print(table(t))
    for f in t.failures:
        print("  " + f)
    return 1 if t.bad else 0


if __name__ == "__main__":
    sys.exit(main())
