from django import template
from django.utils.safestring import SafeString, mark_safe

from factline import markdown as markdown_module

register = template.Library()


@register.filter
def markdown(text: str) -> SafeString:
    """Render Markdown to sanitised HTML."""
    return mark_safe(markdown_module.render(text))
