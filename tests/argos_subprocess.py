"""The subprocess side of tests/test_engines_argos.py and bench/argos_speed.py.

argostranslate reads its settings (ARGOS_PACKAGES_DIR, ARGOS_PACKAGE_INDEX, …) once, when
it is first imported, so every scenario runs in a fresh interpreter with its own
environment. Usage::

    python tests/argos_subprocess.py COMMAND [ARGS…] < request.json

prints one JSON object. Toolkit errors are reported as ``{"error": class name,
"message": str(error)}`` with exit code 0; anything else is a traceback and exit code 1.

Commands:
    install-file PATH…         install .argosmodel files          -> {"labels": […]}
    install-index FROM TO      install through ARGOS_PACKAGE_INDEX -> {"label": …}
    pairs                      installed_pairs()                  -> {"pairs": […]}
    engine FROM TO             stdin {"texts": […], "options": {…}, "single": bool}
                               -> {"outputs", "calls", "version", ["single_outputs", "single_calls"]}
    argos-translate FROM TO    stdin {"texts": […]}: argostranslate.translate.translate() per text
                               -> {"outputs": […]}
    import-only                import translate.mt.engines.argos     -> {"modules": […]}
"""

from __future__ import annotations

import json
import sys
import time


class CountingTranslator:
    """Wraps a ctranslate2.Translator and records each translate_batch call."""

    def __init__(self, inner):
        self.inner = inner
        self.calls: list[dict] = []

    def translate_batch(self, sources, **options):
        self.calls.append(
            {
                "examples": len(sources),
                "tokens": sum(len(s) for s in sources),
                "batch_type": options.get("batch_type"),
                "max_batch_size": options.get("max_batch_size"),
                "beam_size": options.get("beam_size"),
                "target_prefix": options.get("target_prefix"),
            }
        )
        return self.inner.translate_batch(sources, **options)


def _request() -> dict:
    data = sys.stdin.read()
    return json.loads(data) if data.strip() else {}


def main(argv: list[str]) -> dict:
    command, args = argv[0], argv[1:]
    if command == "import-only":
        before = set(sys.modules)
        import translate.mt.engines.argos  # noqa: F401

        heavy = ("argostranslate", "ctranslate2", "sentencepiece", "stanza", "torch")
        return {"modules": sorted(m for m in set(sys.modules) - before if m.split(".")[0] in heavy)}

    from translate.mt.engines import argos
    from translate.errors import TranslateError

    try:
        if command == "install-file":
            return {"labels": [argos.install_from_file(path) for path in args]}
        if command == "install-index":
            return {"label": argos.install_from_index(args[0], args[1])}
        if command == "pairs":
            return {"pairs": argos.installed_pairs()}
        if command == "engine":
            request = _request()
            engine = argos.ArgosEngine.load(args[0], args[1], **request.get("options", {}))
            engine.translator = counter = CountingTranslator(engine.translator)
            started = time.perf_counter()
            outputs = engine.translate_batch(request["texts"])
            result = {
                "outputs": outputs,
                "seconds": time.perf_counter() - started,
                "calls": counter.calls,
                "version": engine.version,
                "name": engine.name,
            }
            if request.get("single"):
                counter.calls = []
                result["single_outputs"] = [engine.translate_batch([t])[0] for t in request["texts"]]
                result["single_calls"] = counter.calls
            return result
        if command == "argos-translate":
            request = _request()
            import argostranslate.translate

            argostranslate.translate.translate("Warm up.", args[0], args[1])  # loads the model
            started = time.perf_counter()
            outputs = [argostranslate.translate.translate(t, args[0], args[1]) for t in request["texts"]]
            return {"outputs": outputs, "seconds": time.perf_counter() - started}
    except TranslateError as e:
        return {"error": type(e).__name__, "message": str(e)}
    raise SystemExit(f"unknown command {command!r}")


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1:]), ensure_ascii=False))
