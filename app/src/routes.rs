//! The application's routes. Every citizen route renders completely on the
//! server (`SsrMode::Async`) so that it works with JavaScript turned off.

use crate::components::layout::Layout;
use crate::contact::{
    arrival::ContactArrivalPage,
    attestation::AttestationPage,
    page::ContactPage,
    reports::{DetailsPage, SymptomsPage, TestPage, VaccinationPage},
    support::ContactSupportPage,
};
use crate::desk::{
    admin::{AccountsPage, AuditPage},
    auth::SignInPage,
    case_page::DeskCasePage,
    clusters::ClustersPage,
    contact_form::TracerContactPage,
    mutual_aid::MutualAidPage,
    organisations::OrganisationsPage,
    queue::QueuePage,
    second_factor::{CodePage, SecurityPage},
    supervision::DashboardPage,
    support::SupportDeskPage,
};
use crate::pages::{home::HomePage, link_check::LinkCheckPage, not_found::NotFoundPage};
use crate::patient::{
    arrival::CaseArrivalPage,
    contacts::{ContactFormPage, ContactsPage},
    dossier::DossierPage,
    places::{PlaceFormPage, PlacesPage},
    situation::SituationPage,
    submit::{CheckPage, ConfirmationPage},
    support::CaseSupportPage,
};
use leptos::prelude::*;
use leptos_meta::provide_meta_context;
use leptos_router::{
    components::{Route, Router, Routes},
    path, SsrMode,
};

/// The root component: the router inside the common page layout.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Router>
            <Layout>
                <Routes fallback=NotFoundPage>
                    <Route path=path!("/") view=HomePage ssr=SsrMode::Async />
                    <Route path=path!("/verifier") view=LinkCheckPage ssr=SsrMode::Async />
                    <Route path=path!("/d/:token") view=CaseArrivalPage ssr=SsrMode::Async />
                    <Route path=path!("/dossier") view=DossierPage ssr=SsrMode::Async />
                    <Route path=path!("/dossier/situation") view=SituationPage ssr=SsrMode::Async />
                    <Route path=path!("/dossier/contacts") view=ContactsPage ssr=SsrMode::Async />
                    <Route path=path!("/dossier/contacts/:id") view=ContactFormPage ssr=SsrMode::Async />
                    <Route path=path!("/dossier/lieux") view=PlacesPage ssr=SsrMode::Async />
                    <Route path=path!("/dossier/lieux/:id") view=PlaceFormPage ssr=SsrMode::Async />
                    <Route path=path!("/dossier/envoi") view=CheckPage ssr=SsrMode::Async />
                    <Route path=path!("/dossier/envoyee") view=ConfirmationPage ssr=SsrMode::Async />
                    <Route path=path!("/dossier/aide") view=CaseSupportPage ssr=SsrMode::Async />
                    <Route path=path!("/c/:token") view=ContactArrivalPage ssr=SsrMode::Async />
                    <Route path=path!("/contact") view=ContactPage ssr=SsrMode::Async />
                    <Route path=path!("/contact/attestation") view=AttestationPage ssr=SsrMode::Async />
                    <Route path=path!("/contact/symptomes") view=SymptomsPage ssr=SsrMode::Async />
                    <Route path=path!("/contact/test") view=TestPage ssr=SsrMode::Async />
                    <Route path=path!("/contact/coordonnees") view=DetailsPage ssr=SsrMode::Async />
                    <Route path=path!("/contact/vaccination") view=VaccinationPage ssr=SsrMode::Async />
                    <Route path=path!("/contact/aide") view=ContactSupportPage ssr=SsrMode::Async />
                    <Route path=path!("/equipe/connexion") view=SignInPage ssr=SsrMode::Async />
                    <Route path=path!("/equipe/connexion/code") view=CodePage ssr=SsrMode::Async />
                    <Route path=path!("/equipe/securite") view=SecurityPage ssr=SsrMode::Async />
                    <Route path=path!("/equipe") view=QueuePage ssr=SsrMode::Async />
                    <Route path=path!("/equipe/dossiers/:id") view=DeskCasePage ssr=SsrMode::Async />
                    <Route path=path!("/equipe/dossiers/:id/contacts/:contact") view=TracerContactPage ssr=SsrMode::Async />
                    <Route path=path!("/equipe/admin/comptes") view=AccountsPage ssr=SsrMode::Async />
                    <Route path=path!("/equipe/admin/journal") view=AuditPage ssr=SsrMode::Async />
                    <Route path=path!("/equipe/admin/organisations") view=OrganisationsPage ssr=SsrMode::Async />
                    <Route path=path!("/equipe/supervision") view=DashboardPage ssr=SsrMode::Async />
                    <Route path=path!("/equipe/supervision/foyers") view=ClustersPage ssr=SsrMode::Async />
                    <Route path=path!("/equipe/supervision/entraide") view=MutualAidPage ssr=SsrMode::Async />
                    <Route path=path!("/equipe/soutien") view=SupportDeskPage ssr=SsrMode::Async />
                </Routes>
            </Layout>
        </Router>
    }
}
