from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EservicesConfig(AppConfig):
    name = "congan.eservices"
    label = "eservices"
    verbose_name = _("Dịch vụ công trực tuyến")

    def ready(self) -> None:
        from congan.core import aggregates as statistics
        from congan.core import demo
        from congan.eservices import (  # noqa: F401 - the panel, the menu entries, the search box
            dashboard,
            navigation,
            search,
            selectors,
        )
        from congan.eservices.catalogue import demo_load_catalogue
        from congan.eservices.demo import demo_build_dossiers
        from congan.eservices.stats import stats_rebuild, stats_recount, stats_stored
        from congan.population.lookup_sources import LookupSource, register_lookup_source

        demo.register("eservices-catalogue", demo_load_catalogue, order=200)
        demo.register("eservices-dossiers", demo_build_dossiers, order=210)
        statistics.register(  # `congan stats rebuild|check eservices` (eservices_recount does the same)
            statistics.Aggregates(name="eservices", recount=stats_recount, stored=stats_stored, rebuild=stats_rebuild)
        )
        # Officers' reads of a citizen's dossiers appear in their "who looked me up".
        register_lookup_source(
            LookupSource(
                target_type=selectors.DOSSIER_TARGET,
                target_ids=selectors.dossier_targets,
                labels={
                    selectors.VIEW_ACTION: _("Xem hồ sơ thủ tục hành chính"),
                    selectors.ATTACHMENT_VIEW_ACTION: _("Xem giấy tờ đính kèm hồ sơ"),
                    selectors.APOLOGY_VIEW_ACTION: _("Xem thư xin lỗi gửi công dân"),
                },
            )
        )
