package dev.greenlight.engine.reference;

import dev.greenlight.engine.Engine;
import dev.greenlight.engine.EngineContract;

class ReferenceEngineContractTest extends EngineContract {
  static final ReferenceEngine ENGINE = new ReferenceEngine(ReferenceEngineTest.SMALL);

  @Override
  protected Engine engine() {
    return ENGINE;
  }
}
