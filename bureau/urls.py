from django.urls import path

from bureau import views

urlpatterns = [
    path("", views.home, name="home"),
    path("todo/counts.json", views.todo_counts, name="todo-counts"),
    path("calendar/", views.calendar_page, name="calendar"),
    path("calendar/<int:year>/", views.calendar_year, name="calendar-year"),
    path("organisation/", views.organisation, name="organisation"),
]
