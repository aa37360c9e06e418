// The tables of migrations/*/2026-11-24-000001_foundation, written for both backends' portable types.

diesel::table! {
    organisations (id) {
        id -> Text,
        name -> Text,
        kind -> Text,
        region -> Text,
        ods_code -> Nullable<Text>,
        description -> Nullable<Text>,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    sites (id) {
        id -> Text,
        organisation_id -> Text,
        name -> Text,
        address_line_1 -> Text,
        address_line_2 -> Nullable<Text>,
        town -> Text,
        postcode -> Text,
        travel_notes -> Nullable<Text>,
        accessibility -> Nullable<Text>,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    departments (id) {
        id -> Text,
        organisation_id -> Text,
        site_id -> Nullable<Text>,
        name -> Text,
        specialty -> Text,
        description -> Nullable<Text>,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    memberships (id) {
        id -> Text,
        organisation_id -> Text,
        subject -> Text,
        role -> Text,
        granted_by -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    platform_roles (id) {
        id -> Text,
        subject -> Text,
        role -> Text,
        granted_by -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    placements (id) {
        id -> Text,
        organisation_id -> Text,
        site_id -> Nullable<Text>,
        department_id -> Nullable<Text>,
        kind -> Text,
        delivery -> Text,
        specialty -> Text,
        title -> Text,
        description -> Text,
        start_date -> Date,
        end_date -> Date,
        daily_start -> Text,
        daily_end -> Text,
        capacity -> Integer,
        min_age -> Nullable<SmallInt>,
        max_age -> Nullable<SmallInt>,
        eligible_user_groups -> Nullable<Text>,
        catchment -> Nullable<Text>,
        opens_at -> Timestamp,
        closes_at -> Timestamp,
        outcome_by -> Date,
        selection_method -> Text,
        priority_rules -> Text,
        preparation -> Text,
        status -> Text,
        draw_commitment -> Nullable<Text>,
        cancellation_reason -> Nullable<Text>,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        published_at -> Nullable<Timestamp>,
        questions -> Text,
        offer_response_days -> SmallInt,
        requirements -> Text,
    }
}

diesel::table! {
    draw_secrets (placement_id) {
        placement_id -> Text,
        seed -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    idempotency_keys (subject, idempotency_key) {
        subject -> Text,
        idempotency_key -> Text,
        request_hash -> Text,
        status_code -> Nullable<Integer>,
        response_body -> Nullable<Text>,
        location -> Nullable<Text>,
        etag -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    applicant_profiles (id) {
        id -> Text,
        subject -> Nullable<Text>,
        managed_by -> Nullable<Text>,
        preferred_name -> Nullable<Text>,
        email -> Text,
        phone -> Nullable<Text>,
        date_of_birth -> Date,
        postcode -> Nullable<Text>,
        no_fixed_address -> Bool,
        user_groups -> Text,
        care_experienced -> Nullable<Bool>,
        adjustments -> Nullable<Text>,
        preferred_language -> Nullable<Text>,
        support_worker_name -> Nullable<Text>,
        support_worker_email -> Nullable<Text>,
        support_worker_organisation -> Nullable<Text>,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        consent_given_by -> Nullable<Text>,
        consent_giver_name -> Nullable<Text>,
        last_active_at -> Nullable<Timestamp>,
        inactivity_warned_at -> Nullable<Timestamp>,
        erased_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    advocate_links (id) {
        id -> Text,
        profile_id -> Text,
        advocate_email -> Nullable<Text>,
        advocate_subject -> Nullable<Text>,
        relationship -> Text,
        status -> Text,
        code_hash -> Text,
        version -> BigInt,
        created_at -> Timestamp,
        accepted_at -> Nullable<Timestamp>,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    supporting_information (id) {
        id -> Text,
        application_id -> Text,
        author_subject -> Text,
        text -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    applications (id) {
        id -> Text,
        placement_id -> Text,
        profile_id -> Text,
        status -> Text,
        ticket -> Text,
        privacy_notice_version -> Text,
        submitted_by_subject -> Text,
        submitted_by_role -> Text,
        answers -> Text,
        can_travel -> Nullable<Bool>,
        in_catchment -> Nullable<Bool>,
        outcome_expected_by -> Date,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        outcome_at -> Nullable<Timestamp>,
        draw_tier -> Nullable<Integer>,
        draw_position -> Nullable<Integer>,
        meets_criteria -> Nullable<Bool>,
        stage_reached -> SmallInt,
        applicant_age -> SmallInt,
    }
}

diesel::table! {
    application_events (id) {
        id -> Text,
        application_id -> Text,
        at -> Timestamp,
        from_status -> Nullable<Text>,
        to_status -> Text,
        actor_subject -> Text,
        actor_role -> Text,
        reason -> Nullable<Text>,
    }
}

diesel::table! {
    notifications (id) {
        id -> Text,
        recipient -> Text,
        template -> Text,
        subject -> Text,
        body -> Text,
        application_id -> Nullable<Text>,
        created_at -> Timestamp,
        delivered_at -> Nullable<Timestamp>,
        status -> Text,
        attempts -> Integer,
        next_attempt_at -> Nullable<Timestamp>,
        lease_token -> Nullable<Text>,
        lease_until -> Nullable<Timestamp>,
        failure -> Nullable<Text>,
        link -> Nullable<Text>,
        profile_id -> Nullable<Text>,
        settled_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    delivery_attempts (notification_id, number) {
        notification_id -> Text,
        number -> Integer,
        attempted_at -> Timestamp,
        transport -> Text,
        outcome -> Text,
        detail -> Nullable<Text>,
    }
}

diesel::table! {
    reminders (kind, subject_id) {
        kind -> Text,
        subject_id -> Text,
        sent_at -> Timestamp,
    }
}

diesel::table! {
    team_contacts (organisation_id) {
        organisation_id -> Text,
        email -> Text,
        version -> BigInt,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    webhook_endpoints (id) {
        id -> Text,
        organisation_id -> Text,
        url -> Text,
        event_types -> Text,
        secret -> Text,
        status -> Text,
        cursor_txid -> BigInt,
        cursor_seq -> BigInt,
        version -> BigInt,
        created_at -> Timestamp,
        disabled_at -> Nullable<Timestamp>,
        previous_secret -> Nullable<Text>,
        previous_secret_until -> Nullable<Timestamp>,
    }
}

diesel::table! {
    webhook_deliveries (id) {
        id -> Text,
        endpoint_id -> Text,
        event_id -> Text,
        event_type -> Text,
        body -> Text,
        status -> Text,
        attempts -> Integer,
        next_attempt_at -> Nullable<Timestamp>,
        lease_token -> Nullable<Text>,
        lease_until -> Nullable<Timestamp>,
        last_status -> Nullable<Integer>,
        last_error -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::allow_tables_to_appear_in_same_query!(webhook_endpoints, webhook_deliveries);

diesel::table! {
    service_clock (id) {
        id -> BigInt,
        offset_micros -> BigInt,
    }
}

diesel::joinable!(sites -> organisations (organisation_id));
diesel::joinable!(departments -> organisations (organisation_id));
diesel::joinable!(memberships -> organisations (organisation_id));
diesel::joinable!(placements -> organisations (organisation_id));
diesel::joinable!(draw_secrets -> placements (placement_id));

diesel::allow_tables_to_appear_in_same_query!(placements, organisations, sites, departments);
// The change feed's scopes.
diesel::allow_tables_to_appear_in_same_query!(events, placements);
diesel::allow_tables_to_appear_in_same_query!(events, applications);
// The reminder queries' subselects.
diesel::allow_tables_to_appear_in_same_query!(applications, placements, offers, reminders);
diesel::allow_tables_to_appear_in_same_query!(provider_students, applicant_profiles);

diesel::table! {
    draws (placement_id) {
        placement_id -> Text,
        algorithm -> Text,
        capacity -> Integer,
        priority_rules -> Text,
        commitment -> Text,
        seed -> Text,
        entries_digest -> Text,
        drawn_at -> Timestamp,
    }
}

diesel::table! {
    draw_entries (placement_id, position) {
        placement_id -> Text,
        position -> Integer,
        ticket -> Text,
        tier -> Integer,
        application_id -> Text,
        outcome -> Text,
    }
}

diesel::table! {
    offers (id) {
        id -> Text,
        application_id -> Text,
        placement_id -> Text,
        status -> Text,
        respond_by -> Timestamp,
        created_at -> Timestamp,
        responded_at -> Nullable<Timestamp>,
        version -> BigInt,
    }
}

diesel::table! {
    placement_hosts (placement_id, subject) {
        placement_id -> Text,
        subject -> Text,
        named_by -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    audit_log (id) {
        id -> Text,
        at -> Timestamp,
        actor_subject -> Text,
        action -> Text,
        object_type -> Text,
        object_id -> Text,
        details -> Text,
        client_id -> Nullable<Text>,
        attribution -> Nullable<Text>,
        actor_role -> Nullable<Text>,
        actor_organisation_id -> Nullable<Text>,
        data_subject -> Nullable<Text>,
        about_subject -> Nullable<Text>,
        reason -> Nullable<Text>,
        request_id -> Nullable<Text>,
    }
}

diesel::table! {
    certificates (code) {
        code -> Text,
        application_id -> Text,
        placement_id -> Text,
        initials -> Text,
        issued_at -> Timestamp,
        t_level_quarter_hours -> Nullable<Integer>,
    }
}

diesel::table! {
    participant_feedback (application_id) {
        application_id -> Text,
        more_likely -> Text,
        agreement -> Text,
        comments -> Nullable<Text>,
        created_at -> Timestamp,
        completed_pre_module -> Nullable<Bool>,
    }
}

diesel::table! {
    host_feedback (placement_id, subject) {
        placement_id -> Text,
        subject -> Text,
        would_host_again -> Bool,
        felt_recognised -> Text,
        comments -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    equality_responses (profile_id) {
        profile_id -> Text,
        version -> BigInt,
        updated_at -> Timestamp,
        recorded_by -> Nullable<Text>,
        consent_given_by -> Nullable<Text>,
        consent_giver_name -> Nullable<Text>,
    }
}
diesel::table! {
    equality_answers (profile_id, question) {
        profile_id -> Text,
        question -> Text,
        answer -> Text,
    }
}

diesel::table! {
    events (seq) {
        seq -> BigInt,
        id -> Text,
        occurred_at -> Timestamp,
        kind -> Text,
        entity -> Text,
        entity_id -> Text,
        entity_version -> BigInt,
        actor -> Text,
        data -> Text,
        txid -> Nullable<BigInt>,
        placement_id -> Nullable<Text>,
        application_id -> Nullable<Text>,
        client_id -> Nullable<Text>,
        attribution -> Nullable<Text>,
    }
}

diesel::table! {
    api_clients (id) {
        id -> Text,
        organisation_id -> Text,
        name -> Text,
        scopes -> Text,
        jwks -> Text,
        status -> Text,
        version -> BigInt,
        created_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    client_assertions (client_id, jti) {
        client_id -> Text,
        jti -> Text,
        expires_at -> Timestamp,
    }
}

diesel::table! {
    test_data_batches (id) {
        id -> Text,
        seed -> BigInt,
        created_by -> Text,
        created_at -> Timestamp,
        deleted_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    test_data_items (batch_id, entity, entity_id) {
        batch_id -> Text,
        entity -> Text,
        entity_id -> Text,
    }
}

// migrations/*/2026-11-30-000018_report_snapshots: what reports group by, frozen at the draw.
diesel::table! {
    report_characteristics (application_id) {
        application_id -> Text,
        user_groups -> Text,
        care_experienced -> Nullable<Bool>,
        frozen_at -> Timestamp,
    }
}

diesel::table! {
    report_answers (application_id, question) {
        application_id -> Text,
        question -> Text,
        answer -> Text,
    }
}

diesel::table! {
    readiness_items (application_id, item) {
        application_id -> Text,
        item -> Text,
        state -> Text,
        by_subject -> Text,
        by_role -> Text,
        at -> Timestamp,
        person_name -> Nullable<Text>,
        relationship -> Nullable<Text>,
        phone -> Nullable<Text>,
        override_reason -> Nullable<Text>,
    }
}

// migrations/*/2026-11-30-000022_education_providers: an education provider's students.
diesel::table! {
    provider_students (profile_id) {
        profile_id -> Text,
        organisation_id -> Text,
        course -> Text,
        created_by -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

// migrations/*/2026-11-30-000024_t_level_hours: T-level agreements, hours logs and reviews.
diesel::table! {
    t_level_agreements (application_id) {
        application_id -> Text,
        placement_id -> Text,
        profile_id -> Text,
        objectives -> Text,
        pattern -> Text,
        supervisor -> Text,
        planned_hours -> Integer,
        start_date -> Date,
        end_date -> Date,
        employer_confirmed_at -> Nullable<Timestamp>,
        provider_confirmed_at -> Nullable<Timestamp>,
        student_confirmed_at -> Nullable<Timestamp>,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    t_level_hours (id) {
        id -> Text,
        application_id -> Text,
        profile_id -> Text,
        day -> Date,
        quarter_hours -> Integer,
        logged_by -> Text,
        logged_at -> Timestamp,
        version -> BigInt,
    }
}

diesel::table! {
    t_level_reviews (id) {
        id -> Text,
        application_id -> Text,
        stage -> Text,
        on_track -> Bool,
        comments -> Text,
        reviewed_by -> Text,
        reviewed_at -> Timestamp,
        reflection -> Nullable<Text>,
        reflected_at -> Nullable<Timestamp>,
        version -> BigInt,
    }
}

// migrations/*/2026-11-30-000025_report_counters: the funnel counts reports read, per placement.
diesel::table! {
    report_funnel (breakdown, placement_id, k1, k2) {
        breakdown -> Text,
        placement_id -> Text,
        k1 -> Text,
        k2 -> Text,
        s0 -> BigInt,
        s1 -> BigInt,
        s2 -> BigInt,
        s3 -> BigInt,
        s4 -> BigInt,
        s5 -> BigInt,
    }
}

diesel::table! {
    report_counters_state (counters) {
        counters -> Text,
        version -> Integer,
    }
}

diesel::table! {
    rate_limits (caller) {
        caller -> Text,
        tat -> BigInt,
        allowed -> Bool,
    }
}

// migrations/*/2026-11-30-000027_report_applicants: who has applied at least once, and how many
// profiles were created each day.
diesel::table! {
    report_applicants (profile_id) {
        profile_id -> Text,
    }
}

diesel::table! {
    report_registrations (day) {
        day -> Date,
        profiles -> BigInt,
    }
}
