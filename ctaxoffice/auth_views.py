"""The login form with "Remember me": without it the session ends when the browser closes."""

from django import forms
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm

from customers.login_lifetime import login_ends


class LoginForm(AuthenticationForm):
    remember = forms.BooleanField(
        label="Remember me",
        required=False,
        widget=forms.CheckboxInput(attrs={"aria-describedby": "remember-help"}),
    )


class LoginView(auth_views.LoginView):
    form_class = LoginForm

    def form_valid(self, form):
        response = super().form_valid(form)
        if form.cleaned_data.get("remember"):
            # A cookie kept across browser restarts, until the login's fixed end.
            self.request.session.set_expiry(login_ends(self.request))
        return response
