from django.urls import path

from bureau import views
from bureau.accounts import token_views
from bureau.documents import views as documents

urlpatterns = [
    path("", views.home, name="home"),
    path("todo/counts.json", views.todo_counts, name="todo-counts"),
    path("calendar/", views.calendar_page, name="calendar"),
    path("calendar/<int:year>/", views.calendar_year, name="calendar-year"),
    path("organisation/", views.organisation, name="organisation"),
    path("documents/", documents.document_list, name="document-list"),
    path("documents/<uuid:pk>/", documents.document_detail, name="document-detail"),
    path("documents/<uuid:pk>/progress.json", documents.document_progress, name="document-progress"),
    path("documents/<uuid:pk>/download/", documents.document_download, name="document-download"),
    path("accounts/tokens/", token_views.my_tokens, name="api-tokens"),
    path("accounts/tokens/all/", token_views.all_tokens, name="api-tokens-all"),
    path("accounts/tokens/<int:pk>/revoke/", token_views.revoke_token, name="api-token-revoke"),
]
