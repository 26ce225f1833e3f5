from django.urls import include, path

urlpatterns = [
    path("inspections/", include("supervision.inspections.urls")),
    path("guidance/", include("supervision.guidance.urls")),
    path("notices/", include("supervision.notices.urls")),
    path("statistics/", include("supervision.statistics.urls")),
]
