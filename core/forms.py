from django.forms.renderers import TemplatesSetting


class FormRenderer(TemplatesSetting):
    """Our field layout: labels without the ' :' suffix, checkboxes before their label."""

    field_template_name = "includes/field.html"
