"""Build hook: the wheel carries the compiled catalogues.

Mentornet looks for ``mentornet/translations/<locale>/LC_MESSAGES/messages.mo`` inside the
installed package first, so an installed Mentornet speaks every shipped language without
the source tree. Everything else about the package is in pyproject.toml.
"""

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

SOURCE = Path(__file__).resolve().parent / "translations"


class build_py_with_catalogues(build_py):
    """Compile each translations/<locale>/LC_MESSAGES/messages.po into the built package."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return  # an editable install reads the catalogues of the source tree
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        target = Path(self.build_lib) / "mentornet" / "translations"
        for po in sorted(SOURCE.glob("*/LC_MESSAGES/messages.po")):
            with po.open("rb") as source:
                catalog = read_po(source, locale=po.parts[-3])
            mo = target / po.parent.relative_to(SOURCE) / "messages.mo"
            mo.parent.mkdir(parents=True, exist_ok=True)
            with mo.open("wb") as out:
                write_mo(out, catalog)


setup(cmdclass={"build_py": build_py_with_catalogues})
