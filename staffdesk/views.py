"""The staff desk's admin views: wiring only (forms → services, selectors → templates)."""

from __future__ import annotations

import csv
import io

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from listings.importers.table import guard_cell
from listings.vocabulary import Kind

from . import selectors
from .forms import ExportForm, UploadForm
from .models import ImportJob
from .services import jobs, needs, verification
from .services.exports import FORMATS

IMPORT_PERMISSION = "staffdesk.import_listings"
EXPORT_PERMISSION = "staffdesk.export_listings"


class PermissionMixin:
    permission = ""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(self.permission):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class StaffView(PermissionMixin, WagtailAdminTemplateMixin, TemplateView):
    def get_breadcrumbs_items(self):
        # The header shows the last crumb as the page's title.
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]


class ImportView(StaffView):
    permission = IMPORT_PERMISSION
    page_title = gettext_lazy("CSVの取り込み")
    header_icon = "upload"
    template_name = "staffdesk/imports.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", UploadForm())
        context["jobs"] = selectors.recent_jobs()
        return context

    def post(self, request, *args, **kwargs):
        form = UploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        upload = form.cleaned_data["file"]
        job = jobs.create_job(
            file_name=upload.name,
            data=upload.read(),
            format=form.cleaned_data["format"],
            user=request.user,
        )
        return redirect("staffdesk:import_job", job.pk)


class ImportJobView(StaffView):
    permission = IMPORT_PERMISSION
    header_icon = "upload"
    template_name = "staffdesk/import_job.html"

    def get_page_title(self):
        return _("取り込み：%(name)s") % {"name": self.job.file_name}

    def dispatch(self, request, *args, pk: int, **kwargs):
        self.job = get_object_or_404(ImportJob.objects.defer("data"), pk=pk)
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("staffdesk:imports"), "label": _("CSVの取り込み")},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        job = self.job
        shown = job.report if job.status in (job.Status.DONE, job.Status.FAILED) else job.preview
        context.update(
            {
                "job": job,
                "result": shown,
                "is_preview": shown is job.preview,
                "progress": selectors.progress(job),
                "can_confirm": job.status == job.Status.PREVIEWED and job.preview.get("ok"),
            }
        )
        return context

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action")
        if action == "confirm":
            if jobs.confirm_job(self.job):
                messages.success(request, _("取り込みを始めました。"))
            else:
                messages.error(request, _("この取り込みは確定できません。"))
        elif action == "cancel":
            if jobs.cancel_job(self.job):
                messages.success(request, _("取り込みを取り消しました。"))
        else:
            return HttpResponse(_("action: confirm か cancel を指定してください。"), status=400)
        return redirect("staffdesk:import_job", self.job.pk)


class ExportView(StaffView):
    permission = EXPORT_PERMISSION
    page_title = gettext_lazy("CSVの書き出し")
    header_icon = "download"
    template_name = "staffdesk/export.html"

    def get(self, request, *args, **kwargs):
        if "download" not in request.GET:
            return super().get(request, *args, form=ExportForm(), **kwargs)
        form = ExportForm(request.GET)
        if not form.is_valid():
            context = self.get_context_data(form=form)
            return self.render_to_response(context, status=400)
        data = form.cleaned_data
        chosen = FORMATS[data["format"] or "csv"]
        listings = selectors.listings_for_export(
            kind=data["kind"], area=data["area"], include_offline=data["include_offline"]
        )
        buffer = io.StringIO(newline="")
        chosen.write(buffer, listings)
        response = HttpResponse(buffer.getvalue().encode("utf-8"), content_type=chosen.content_type)
        name = f"listings-{timezone.localdate():%Y%m%d}.{chosen.extension}"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


VERIFICATION_PERMISSION = "staffdesk.chase_verification"


class VerificationView(StaffView):
    """Listings nobody has confirmed for N months, requests unanswered or failed, and a button
    that sends the requests now (what the scheduled command does)."""

    permission = VERIFICATION_PERMISSION
    page_title = gettext_lazy("確認が古い掲載")
    header_icon = "date"
    template_name = "staffdesk/verification.html"
    TABS = {
        "stale": gettext_lazy("確認が古い掲載"),
        "unanswered": gettext_lazy("回答のない依頼"),
        "failed": gettext_lazy("送信失敗"),
    }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        tab = self.request.GET.get("tab", "stale")
        if tab not in self.TABS:
            tab = "stale"
        context.update(
            {
                "tab": tab,
                "tabs": self.TABS.items(),
                "months": selectors.stale_months(),
                "cutoff": selectors.stale_cutoff(),
                "no_answer_days": selectors.no_answer_days(),
                "counts": selectors.verification_counts(),
                "to_ask": sum(1 for page in selectors.listings_to_ask() if page.email),
            }
        )
        if tab == "stale":
            context["listings"] = selectors.stale_listings()[:500]
        else:
            requests = (
                selectors.unanswered_requests()
                if tab == "unanswered"
                else selectors.failed_requests()
            )
            context["requests"] = requests.order_by("-sent_at")[:500]
        return context

    def post(self, request, *args, **kwargs):
        summary = verification.send_requests(
            selectors.listings_to_ask(), base_url=settings.SUBMISSION_PUBLIC_BASE_URL
        )
        (messages.warning if summary.failed else messages.success)(request, str(summary))
        return redirect("staffdesk:verification")


class UnmetNeedsView(StaffView):
    """Searches that found little, grouped and counted per week, with two actions each."""

    permission = "staffdesk.review_searches"
    page_title = gettext_lazy("見つからなかった検索")
    header_icon = "search"
    template_name = "staffdesk/unmet_needs.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        starts, needs = selectors.unmet_needs()
        context.update(
            {
                "starts": starts,
                "needs": needs[:300],
                "low": settings.SEARCH_LOW_RESULTS,
                "retention_days": settings.SEARCH_LOG_RETENTION_DAYS,
            }
        )
        return context

    def post(self, request, *args, **kwargs):
        key = request.POST.get("key", "").strip()
        action = request.POST.get("action")
        if not key or action not in ("handled", "synonym"):
            return HttpResponse(
                _("key と action（handled か synonym）を指定してください。"), status=400
            )
        if action == "handled":
            needs.mark_handled(key, request.user)
            messages.success(request, _("「%(q)s」を対応済みにしました。") % {"q": key})
            return redirect("staffdesk:unmet_needs")
        try:
            synonym = needs.add_synonym_group(
                key, request.POST.get("shown", key), request.POST.get("words", ""), request.user
            )
        except ValueError as exc:
            return HttpResponse(f"words: {exc}", status=400)
        messages.success(
            request,
            _("同義語「%(words)s」を追加しました。") % {"words": synonym.words},
        )
        return redirect("staffdesk:unmet_needs")


class CoverageView(StaffView):
    """Areas × kinds × age groups: where there is no place at all (highlighted), and as CSV."""

    permission = "staffdesk.view_coverage"
    page_title = gettext_lazy("地域ごとの掲載数")
    header_icon = "table"
    template_name = "staffdesk/coverage.html"

    def get(self, request, *args, **kwargs):
        rows = selectors.coverage()
        if request.GET.get("format") == "csv":
            return self.csv(rows)
        if request.GET.get("format"):
            return HttpResponse(_("format: csv だけが使えます。"), status=400)
        return super().get(request, *args, rows=rows, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["kinds"] = [label for _code, label in Kind.choices]
        context["ages"] = [age.label for age in selectors.COVERAGE_AGES]
        context["empty_areas"] = sum(1 for row in kwargs["rows"] if row.total == 0)
        context["columns"] = 2 + len(context["kinds"]) + len(context["ages"])
        context["unplaced"] = [row for row in kwargs["rows"] if row.point is None]
        context["tile_url"] = settings.MAP_TILE_URL
        context["attribution"] = settings.MAP_TILE_ATTRIBUTION
        return context

    def csv(self, rows):
        buffer = io.StringIO(newline="")
        buffer.write("\ufeff")  # Excel reads UTF-8 only with the BOM
        writer = csv.writer(buffer)
        writer.writerow(
            [
                _("地域コード"),
                _("地域"),
                _("階層"),
                _("合計"),
                *[label for _code, label in Kind.choices],
                *[age.label for age in selectors.COVERAGE_AGES],
            ]
        )
        for row in rows:
            writer.writerow(
                [
                    row.area.code,
                    guard_cell(row.area.name),
                    row.area.get_tier_display(),
                    row.total,
                    *row.kinds,
                    *row.ages,
                ]
            )
        response = HttpResponse(
            buffer.getvalue().encode("utf-8"), content_type="text/csv; charset=utf-8"
        )
        name = f"coverage-{timezone.localdate():%Y%m%d}.csv"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
