import { DomainEvent } from '../common/events/domain-events';

export class IngredientCreated extends DomainEvent {
  constructor(readonly ingredientId: number) {
    super();
  }
}
