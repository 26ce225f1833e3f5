"""Public URLs of the publication (included from ``awards/urls.py`` in the ``awards`` namespace).

The final list of a quarter has a permanent address: /awards/results/<year>/<quarter>/.
"""

from django.urls import path

from .views import results

urlpatterns = [
    path("results/", results.results_index, name="results"),
    path("results/<int:year>/<int:quarter>/", results.results_quarter, name="results_quarter"),
    path("results/<int:year>/<int:quarter>/xlsx/", results.results_xlsx, name="results_xlsx"),
    path("results/<int:year>/<int:quarter>/pdf/", results.results_pdf, name="results_pdf"),
    path("publicity/<int:year>/<int:quarter>/", results.publicity_view, name="publicity"),
]
