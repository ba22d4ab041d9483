package io.ddm.autoconfigure;

import io.ddm.config.DdmProperties;
import io.ddm.datasource.DdmDataSource;
import io.ddm.move.MoveSettings;
import io.ddm.move.ShardMoves;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of {@link ShardMoves}, the Java API of online shard moves. It is always there with a DDM data
 * source; {@code ddm.moves.enabled} only decides whether {@code /actuator/ddm/moves} may start and abort moves.
 */
@AutoConfiguration(after = DdmDataSourceAutoConfiguration.class)
@ConditionalOnBean(DdmDataSource.class)
public final class DdmMovesAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    ShardMoves ddmShardMoves(DdmDataSource dataSource, DdmProperties properties) {
        DdmProperties.Moves moves = properties.getMoves();
        return new ShardMoves(dataSource, new MoveSettings(moves.getChunkRows(), moves.getSwitchLag(), moves.getDrainTimeout(),
                moves.getSwitchAttempts(), moves.getCatchUpTimeout(), moves.getReplicaTimeout()));
    }

}
