from linkage import api_complaints, api_meetings, api_tasks

urlpatterns = [*api_tasks.urlpatterns, *api_meetings.urlpatterns, *api_complaints.urlpatterns]
