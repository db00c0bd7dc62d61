/**
 * The labelled linkage files in ../shared/data/linkage and how their columns map to the matcher's
 * roles: one configuration for all of them, the mapping aside. No labels here: `linkage` reads them
 * after its runs to measure; `linkage-blocking` never reads them.
 */
import type { ColumnMapping } from '../src/matching/schemas.js';

const febrl: ColumnMapping = {
  record_id: 'rec_id',
  given_name: 'given_name',
  surname: 'surname',
  date_of_birth: { column: 'date_of_birth', format: 'YYYYMMDD' },
  identifier: 'soc_sec_id',
  address: ['street_number', 'address_1', 'address_2'],
  town: 'suburb',
  postcode: 'postcode',
};
const fake: ColumnMapping = { record_id: 'unique_id', given_name: 'first_name', surname: 'surname', date_of_birth: { column: 'dob', format: 'YYYY-MM-DD' }, town: 'city', email: 'email' };

export interface Dataset {
  name: string;
  file: string;
  mapping: ColumnMapping;
  /** Targets from issue 5, and Splink 4's figures from the data's README, where there are any. */
  reference?: { target_f1: number; target_ms?: number; splink_f1_at_0_5?: number; splink_best_f1: number; splink_seconds?: number };
}

export const datasets: Dataset[] = [
  { name: 'febrl1', file: 'febrl/dataset1.csv', mapping: febrl },
  { name: 'febrl2', file: 'febrl/dataset2.csv', mapping: febrl },
  { name: 'febrl3', file: 'febrl/dataset3.csv', mapping: febrl, reference: { target_f1: 0.9965, target_ms: 3000, splink_f1_at_0_5: 0.9929, splink_best_f1: 0.9953, splink_seconds: 6 } },
  { name: 'fake_1000', file: 'splink_datasets/fake_1000.csv', mapping: fake, reference: { target_f1: 0.9, splink_best_f1: 0.862 } },
];
