import { z } from 'zod';
import type { App } from '../http/server.js';
import { requireActor, sendStored } from '../http/server.js';
import {
  addressInput, adultInput, createChildInput, endRelationshipInput, identifierInput, nameInput, newPersonInput, relationshipInput, searchFields,
} from './schemas.js';
import type { PeopleService } from './service.js';

const childParams = z.object({ childId: z.uuid() });
const idempotencyHeader = z.object({ 'idempotency-key': z.string().min(8).max(200).optional() });
/** Names, addresses and identifiers belong to the child unless `person_id` names an adult related to them. */
const personId = { person_id: z.uuid().optional().describe('An adult related to the child; the child when left out') };
const tags = ['people'];

export function peopleRoutes(app: App, people: PeopleService) {
  app.post('/api/children', {
    schema: { tags, summary: 'Record a new child with the first entry in their record (by default a contact or referral)', headers: idempotencyHeader, body: createChildInput },
  }, async (req, reply) => {
    const res = await people.createChild(requireActor(req), req.body, req.headers['idempotency-key']);
    return sendStored(reply.header('location', `/api/children/${res.body.child.id}`), res);
  });

  app.post('/api/adults', {
    schema: { tags, summary: 'Record an adult, to link to a child by a relationship', headers: idempotencyHeader, body: adultInput },
  }, async (req, reply) => {
    const res = await people.createAdult(requireActor(req), req.body, req.headers['idempotency-key']);
    return sendStored(reply, res);
  });

  app.get('/api/children', {
    schema: { tags, summary: 'Find a child by NHS number, or by family name and date of birth (every match is audited)', querystring: searchFields },
  }, async (req) => people.search(requireActor(req), req.query));

  app.get('/api/children/:childId', {
    schema: { tags, summary: 'The child, their household and relationships, allocation and multi-agency group', params: childParams },
  }, async (req) => people.childSummary(requireActor(req), req.params.childId));

  app.get('/api/children/:childId/household', {
    schema: { tags, summary: 'Who lives with the child now and who did before, and their other relationships', params: childParams },
  }, async (req) => people.household(requireActor(req), req.params.childId));

  app.post('/api/children/:childId/names', {
    schema: { tags, summary: 'Add a name; a new legal name ends the current one', params: childParams, headers: idempotencyHeader, body: nameInput.extend(personId) },
  }, async (req, reply) => {
    const { person_id, ...name } = req.body;
    const res = await people.addName(requireActor(req), req.params.childId, person_id ?? req.params.childId, name, req.headers['idempotency-key']);
    return sendStored(reply, res);
  });

  app.post('/api/children/:childId/addresses', {
    schema: { tags, summary: 'Add a current address; it ends the previous one', params: childParams, headers: idempotencyHeader, body: addressInput.extend(personId) },
  }, async (req, reply) => {
    const { person_id, ...address } = req.body;
    const res = await people.addAddress(requireActor(req), req.params.childId, person_id ?? req.params.childId, address, req.headers['idempotency-key']);
    return sendStored(reply, res);
  });

  app.post('/api/children/:childId/identifiers', {
    schema: { tags, summary: 'Add an NHS number or an agency’s local id', params: childParams, headers: idempotencyHeader, body: z.intersection(identifierInput, z.object(personId)) },
  }, async (req, reply) => {
    const { person_id, ...identifier } = req.body;
    const res = await people.addIdentifier(requireActor(req), req.params.childId, person_id ?? req.params.childId, identifier as z.infer<typeof identifierInput>, req.headers['idempotency-key']);
    return sendStored(reply, res);
  });

  app.post('/api/children/:childId/relationships', {
    schema: { tags, summary: 'Link a person to the child (parent, carer, household member, …)', params: childParams, headers: idempotencyHeader, body: relationshipInput },
  }, async (req, reply) => {
    const res = await people.addRelationship(requireActor(req), req.params.childId, req.body, req.headers['idempotency-key']);
    return sendStored(reply, res);
  });

  app.post('/api/children/:childId/people', {
    schema: { tags, summary: 'Record someone new in the child’s life and link them to the child, in one step', params: childParams, headers: idempotencyHeader, body: newPersonInput },
  }, async (req, reply) => {
    const res = await people.addNewPerson(requireActor(req), req.params.childId, req.body, req.headers['idempotency-key']);
    return sendStored(reply, res);
  });

  app.post('/api/children/:childId/relationships/:relationshipId/end', {
    schema: { tags, summary: 'End a relationship (for a household member, the day they stopped living with the child)', params: childParams.extend({ relationshipId: z.uuid() }), body: endRelationshipInput },
  }, async (req) => people.endRelationship(requireActor(req), req.params.childId, req.params.relationshipId, req.body.valid_to));
}
