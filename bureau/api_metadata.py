"""The API's answer to OPTIONS (REST_FRAMEWORK["DEFAULT_METADATA_CLASS"]). A module of its own: DRF
imports it while it defines APIView, so it may not import DRF's views at import time."""

from rest_framework.metadata import SimpleMetadata


class BureauMetadata(SimpleMetadata):
    """DRF's answer to OPTIONS, for every view. A view that reads its body through serializers of its
    own (``grading.api.GradingAPIView.body``) has no ``serializer_class``: it describes no actions
    instead of failing DRF's assertion with a 500."""

    def determine_actions(self, request, view):
        from rest_framework.generics import GenericAPIView

        reads_its_own_body = (
            isinstance(view, GenericAPIView)
            and type(view).get_serializer_class is GenericAPIView.get_serializer_class
            and view.serializer_class is None
        )
        if reads_its_own_body:
            return {}
        return super().determine_actions(request, view)
