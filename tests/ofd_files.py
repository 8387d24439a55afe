"""Minimal valid OFD packages (GB/T 33190) built in the tests: OFD.xml, a Document.xml and one Content.xml a page."""

import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

NS = "http://www.ofdspec.org/2016"


def text_object(x: float, y: float, text: str, *, size: float = 5.6, object_id: int = 1) -> str:
    """A TextObject whose box starts at (x, y) mm, with its one TextCode on the baseline inside it."""
    return (f'<ofd:TextObject ID="{object_id}" Boundary="{x} {y} 160 {size * 1.4:.2f}" Font="2" Size="{size}">'
            f'<ofd:TextCode X="0" Y="{size:.2f}" DeltaX="g {max(len(text) - 1, 0)} {size}">{escape(text)}</ofd:TextCode>'
            "</ofd:TextObject>")


def ofd(dest: Path, pages: list[list[str]], *, doc_root: str = "Doc_0/Document.xml", absolute: bool = False) -> Path:
    """An .ofd whose pages hold the given TextObject XML (see text_object), in the order given."""
    entries = "".join(
        f'<ofd:Page ID="{n + 10}" BaseLoc="{"/Doc_0/" if absolute else ""}Pages/Page_{n}/Content.xml"/>'
        for n in range(len(pages)))
    with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("OFD.xml", f'<?xml version="1.0" encoding="UTF-8"?><ofd:OFD xmlns:ofd="{NS}" Version="1.0" '
                                    f'DocType="OFD"><ofd:DocBody><ofd:DocInfo><ofd:DocID>x</ofd:DocID></ofd:DocInfo>'
                                    f"<ofd:DocRoot>{doc_root}</ofd:DocRoot></ofd:DocBody></ofd:OFD>")
        archive.writestr("Doc_0/Document.xml",
                         f'<?xml version="1.0" encoding="UTF-8"?><ofd:Document xmlns:ofd="{NS}"><ofd:CommonData>'
                         '<ofd:PageArea><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox></ofd:PageArea>'
                         f"<ofd:MaxUnitID>99</ofd:MaxUnitID></ofd:CommonData><ofd:Pages>{entries}</ofd:Pages>"
                         "</ofd:Document>")
        for n, objects in enumerate(pages):
            archive.writestr(f"Doc_0/Pages/Page_{n}/Content.xml",
                             f'<?xml version="1.0" encoding="UTF-8"?><ofd:Page xmlns:ofd="{NS}"><ofd:Content>'
                             f'<ofd:Layer ID="{n + 50}">{"".join(objects)}</ofd:Layer></ofd:Content></ofd:Page>')
    return dest
