"""The login form with "Remember me": without it the session ends when the browser closes."""

from django import forms
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm

from ctaxoffice.error_views import SESSION_ENDED_PARAM
from customers.login_lifetime import login_ends


class LoginForm(AuthenticationForm):
    remember = forms.BooleanField(
        label="Remember me",
        required=False,
        widget=forms.CheckboxInput(attrs={"aria-describedby": "remember-help"}),
    )


SESSION_ENDED = "Your session ended: log in again. What you typed is kept."


class LoginView(auth_views.LoginView):
    form_class = LoginForm

    def get(self, request, *args, **kwargs):
        if request.GET.get(SESSION_ENDED_PARAM):  # sent here by error_views.csrf_failure
            messages.warning(request, SESSION_ENDED)
        return super().get(request, *args, **kwargs)

    def form_valid(self, form):
        response = super().form_valid(form)
        if form.cleaned_data.get("remember"):
            # A cookie kept across browser restarts, until the login's fixed end.
            self.request.session.set_expiry(login_ends(self.request))
        return response
