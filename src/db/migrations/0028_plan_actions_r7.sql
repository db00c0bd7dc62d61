-- Plan actions (agreed at conferences and core groups as rows of the step; updated by the step
-- plan_action_update) run as process clocks (code PA), so no projection table is needed: the work
-- lists read process_clocks as for every deadline.
--
-- R7, disguised compliance: a new version also counts (a) plan actions overdue or not done within the
-- window, and (e) visits where the child's account differed from the parents' (spec §6 R7). The window
-- and score are unchanged; counting these two the same as the others is Sightline's choice, unverified.
INSERT INTO signal_rules (rule_id, name, description, source, status, severity, recipients, parameters, local_parameters, effective_from, change_reason)
VALUES
  ('R7', 'Signs of disguised compliance',
   'Within 90 days, 3 or more of: appointments cancelled or rearranged by the family, home visits where the child was not seen, unannounced visits where the child was not seen after announced ones where they were, appointments missed with one agency while another is attended, actions of the child''s plan past their date and not done or said not done, and visits where the child''s account differed from the parents''. Shows the pattern to the supervisor; never closes itself. The numbers, and counting each plan action and each differing account as one sign, are Sightline''s, unverified.',
   'NSPCC definition (Reder, Duncan and Gray 1993) [verified S69]; examples and risk factors [verified S70,S71] (spec §6 R7 (a), (b), (d), (e), (f)); weights unverified [config]',
   'unverified', 'medium', ARRAY['allocated_worker', 'manager'],
   '{"window_days": 90, "score": 3, "also_counts": ["plan_actions", "child_account"]}',
   ARRAY['window_days', 'score'], '2026-11-27T00:00:00Z', 'Spec §6 R7 (a) actions agreed vs completed in the plan, and (e) the child''s account differing from the parents''');
