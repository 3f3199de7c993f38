"""The check of files uploaded to the registry (rectification evidence, a 变更's notice to the
unit; linkage checks its paper-slip files in ``linkage.rules``): a document or a picture of at most 20 MB, judged by its content as well as its name, so that
nothing a browser would run is stored and served back (R-PER-1, R-PER-3)."""

from django.core.exceptions import ValidationError

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
# The first bytes of each kind of file accepted, by extension. Office files after 2007, OFD and ZIP are
# ZIP containers; older Word and Excel files are OLE compound documents.
ZIP, OLE = b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
SIGNATURES = {
    ".pdf": (b"%PDF-",),
    ".ofd": (ZIP,),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".doc": (OLE,),
    ".docx": (ZIP,),
    ".xls": (OLE,),
    ".xlsx": (ZIP,),
    ".zip": (ZIP,),
}
KINDS = "PDF、OFD、图片（JPG/PNG）、Word、Excel 或 ZIP 文件"


def check_upload(upload, *, field: str, label: str) -> None:
    """ValidationError keyed ``field`` unless ``upload`` is one of ``SIGNATURES``' kinds, by name and
    by its first bytes, and at most 20 MB. The file is left at its start."""
    name = getattr(upload, "name", "") or ""
    extension = name[name.rfind(".") :].lower() if "." in name else ""
    if extension not in SIGNATURES:
        raise ValidationError({field: f"{label}只接受 {KINDS}。"})
    if (getattr(upload, "size", 0) or 0) > MAX_UPLOAD_BYTES:
        raise ValidationError({field: f"{label}不能超过 20 MB。"})
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not any(head.startswith(signature) for signature in SIGNATURES[extension]):
        raise ValidationError(
            {field: f"{label}的内容与文件类型“{extension[1:].upper()}”不符，请上传原始文件。"}
        )
