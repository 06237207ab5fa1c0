/**
 * The route table. Adding a screen: write its element in `src/<domain>/`,
 * then add one entry here. Entries with `nav` appear in the navigation in
 * this order; `roles` restricts who may open a screen.
 */
import { msg } from '@lit/localize';
import { html } from 'lit';
import type { RouteDef } from './route.ts';

/** Where `/` and a fresh sign-in lead: the start page. */
export const HOME_PATH = '/';

export const ROUTES: readonly RouteDef[] = [
  {
    id: 'home',
    path: '/',
    title: () => msg('Start', { id: 'nav.home' }),
    load: () => import('../reports/tandem-home-page.ts'),
    render: () => html`<tandem-home-page></tandem-home-page>`,
    nav: { icon: 'home' },
  },
  {
    id: 'customers',
    path: '/customers',
    title: () => msg('Customers', { id: 'nav.customers' }),
    load: () => import('../customers/tandem-customers-page.ts'),
    render: () => html`<tandem-customers-page></tandem-customers-page>`,
    nav: { icon: 'customers' },
  },
  {
    id: 'customer',
    path: '/customers/:id',
    title: () => msg('Customer', { id: 'nav.customer' }),
    load: () => import('../customers/tandem-customer-page.ts'),
    render: (params) => html`<tandem-customer-page customerId=${params.id ?? ''}></tandem-customer-page>`,
  },
  {
    id: 'leads',
    path: '/leads',
    title: () => msg('Leads', { id: 'nav.leads' }),
    load: () => import('../leads/tandem-leads-page.ts'),
    render: () => html`<tandem-leads-page></tandem-leads-page>`,
    nav: { icon: 'leads' },
  },
  {
    id: 'lead',
    path: '/leads/:id',
    title: () => msg('Leads', { id: 'nav.leads' }),
    load: () => import('../leads/tandem-leads-page.ts'),
    render: (params) => html`<tandem-leads-page lead-id=${params.id ?? ''}></tandem-leads-page>`,
  },
  {
    id: 'pipeline',
    path: '/pipeline',
    title: () => msg('Pipeline', { id: 'nav.pipeline' }),
    load: () => import('../pipeline/tandem-pipeline-page.ts'),
    render: () => html`<tandem-pipeline-page></tandem-pipeline-page>`,
    nav: { icon: 'pipeline' },
  },
  {
    id: 'pipeline-board',
    path: '/pipeline/:pipelineId',
    title: () => msg('Pipeline', { id: 'nav.pipeline' }),
    load: () => import('../pipeline/tandem-pipeline-page.ts'),
    render: (params) => html`<tandem-pipeline-page pipeline-id=${params.pipelineId ?? ''}></tandem-pipeline-page>`,
  },
  {
    id: 'opportunity',
    path: '/opportunities/:id',
    title: () => msg('Pipeline', { id: 'nav.pipeline' }),
    load: () => import('../pipeline/tandem-opportunity-link.ts'),
    render: (params) => html`<tandem-opportunity-link opportunity-id=${params.id ?? ''}></tandem-opportunity-link>`,
  },
  {
    id: 'pipeline-stages',
    path: '/pipeline/:pipelineId/stages',
    title: () => msg('Pipeline stages', { id: 'stages.title' }),
    load: () => import('../pipeline/tandem-stage-settings-page.ts'),
    render: (params) => html`<tandem-stage-settings-page pipeline-id=${params.pipelineId ?? ''}></tandem-stage-settings-page>`,
    roles: ['admin'],
  },
  {
    id: 'tasks',
    path: '/tasks',
    title: () => msg('Tasks', { id: 'nav.tasks' }),
    load: () => import('../tasks/tandem-tasks-page.ts'),
    render: () => html`<tandem-tasks-page></tandem-tasks-page>`,
    nav: { icon: 'tasks' },
  },
  {
    id: 'task',
    path: '/tasks/:id',
    title: () => msg('Tasks', { id: 'nav.tasks' }),
    load: () => import('../tasks/tandem-tasks-page.ts'),
    render: (params) => html`<tandem-tasks-page task-id=${params.id ?? ''}></tandem-tasks-page>`,
  },
  {
    id: 'service',
    path: '/service',
    title: () => msg('Service', { id: 'nav.service' }),
    load: () => import('../service/tandem-service-page.ts'),
    render: () => html`<tandem-service-page></tandem-service-page>`,
    nav: { icon: 'service' },
  },
  {
    id: 'service-record',
    path: '/service/:id',
    title: () => msg('Service', { id: 'nav.service' }),
    load: () => import('../service/tandem-service-page.ts'),
    render: (params) => html`<tandem-service-page record-id=${params.id ?? ''}></tandem-service-page>`,
  },
  {
    id: 'reports',
    path: '/reports',
    title: () => msg('Reports', { id: 'nav.reports' }),
    load: () => import('../reports/tandem-reports-page.ts'),
    render: () => html`<tandem-reports-page></tandem-reports-page>`,
    nav: { icon: 'reports' },
  },
  {
    id: 'admin-users',
    path: '/admin/users',
    title: () => msg('Users and teams', { id: 'admin.title' }),
    load: () => import('../admin/tandem-users-page.ts'),
    render: () => html`<tandem-users-page></tandem-users-page>`,
    roles: ['admin'],
    nav: { icon: 'users', label: () => msg('Users', { id: 'nav.users' }) },
  },
  {
    id: 'admin-custom-fields',
    path: '/admin/custom-fields',
    title: () => msg('Custom fields', { id: 'customFields.title' }),
    load: () => import('../custom-fields/tandem-custom-fields-page.ts'),
    render: () => html`<tandem-custom-fields-page></tandem-custom-fields-page>`,
    roles: ['admin'],
    nav: { icon: 'fields' },
  },
  {
    id: 'admin-security',
    path: '/admin/security',
    title: () => msg('Security events', { id: 'security.title' }),
    load: () => import('../admin/tandem-security-events-page.ts'),
    render: () => html`<tandem-security-events-page></tandem-security-events-page>`,
    roles: ['admin'],
    nav: { icon: 'shield', label: () => msg('Security', { id: 'nav.security' }) },
  },
  {
    id: 'settings',
    path: '/settings',
    title: () => msg('Settings', { id: 'nav.settings' }),
    load: () => import('../settings/tandem-settings-page.ts'),
    render: () => html`<tandem-settings-page></tandem-settings-page>`,
    nav: { icon: 'settings' },
  },
];
