package io.ddm.integration;

import java.util.LinkedHashMap;
import java.util.Map;

import io.ddm.config.DdmProperties;
import io.ddm.datasource.DdmDataSource;
import io.ddm.datasource.DdmDataSourceFactory;
import io.ddm.move.MoveSettings;
import io.ddm.move.ShardMove;
import io.ddm.move.ShardMoves;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/**
 * An application process that starts a shard move and runs until it is killed: {@code MoveProcess <shard> <target>
 * key=value...} with the {@code ddm.*} properties. It prints {@code STARTED <id>} once the move runs.
 */
public final class MoveProcess {

    private MoveProcess() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> properties = new LinkedHashMap<>();
        for (int i = 2; i < args.length; i++) {
            int equals = args[i].indexOf('=');
            properties.put(args[i].substring(0, equals), args[i].substring(equals + 1));
        }
        DdmProperties bound = new Binder(new MapConfigurationPropertySource(properties)).bind("ddm", DdmProperties.class).get();
        DdmDataSource dataSource = DdmDataSourceFactory.create(bound);
        ShardMoves moves = new ShardMoves(dataSource, MoveSettings.DEFAULTS);
        ShardMove move = moves.start(Integer.parseInt(args[0]), args[1]);
        System.out.println("STARTED " + move.id());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }

}
