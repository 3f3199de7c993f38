"""Placeholder: the answers and photos endpoints the officer's form writes through."""

from rest_framework.views import APIView


class AnswersView(APIView):
    pass


class PhotosView(APIView):
    pass
