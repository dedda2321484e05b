from django.urls import path

from agency.customer_links import customer_link_path
from voice import views

urlpatterns = [
    path("staff-voice/", views.SurveyListView.as_view(), name="voice_home"),
    path("staff-voice/surveys/new/", views.SurveyCreateView.as_view(), name="voice_survey_create"),
    path("staff-voice/settings/", views.VoiceSettingsView.as_view(), name="voice_settings"),
    path("staff-voice/surveys/<int:pk>/", views.SurveyDetailView.as_view(), name="voice_survey"),
    path(
        "staff-voice/surveys/<int:pk>/questions/",
        views.QuestionAddView.as_view(),
        name="voice_question_add",
    ),
    path(
        "staff-voice/surveys/<int:pk>/open/",
        views.SurveyOpenView.as_view(),
        name="voice_survey_open",
    ),
    path(
        "staff-voice/surveys/<int:pk>/close/",
        views.SurveyCloseView.as_view(),
        name="voice_survey_close",
    ),
    path("staff-voice/suggestions/", views.SuggestionListView.as_view(), name="voice_suggestions"),
    path(
        "staff-voice/suggestions/<int:pk>/answer/",
        views.SuggestionAnswerView.as_view(),
        name="voice_suggestion_answer",
    ),
    path("my/suggestions/", views.MySuggestionsView.as_view(), name="my_suggestions"),
    # The staff member's signed survey link: short, as it goes by SMS ("v/" is the valuables check).
    customer_link_path("sv/<str:token>/", views.SurveyLinkView.as_view(), name="voice_survey_link"),
]
