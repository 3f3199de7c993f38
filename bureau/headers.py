"""Response headers that keep what a signed-in person saw out of shared and browser caches (ASVS 14.4,
等保 8.1.4.7 剩余信息保护).

``Cache-Control: no-store`` goes on every answer to a signed-in user, every API answer and every
download (an export, a document, a PDF: anything sent as an attachment or a file), whoever asked.
Static files never reach this middleware (WhiteNoise, before it, answers them with their long cache);
the anonymous public pages keep whatever caching they set.
"""

from django.http import FileResponse

NO_STORE = "no-store"


def needs_no_store(request, response) -> bool:
    if request.path.startswith("/api/"):
        return True
    if isinstance(response, FileResponse) or response.get("Content-Disposition", "").startswith("attachment"):
        return True
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


class NoStoreMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if NO_STORE not in response.get("Cache-Control", "") and needs_no_store(request, response):
            response["Cache-Control"] = "no-store"
            response["Pragma"] = "no-cache"  # for HTTP/1.0 caches, which know no Cache-Control
        return response
